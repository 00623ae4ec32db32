package dev.alpharen.arsrv.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Launches the built distribution ({@code arsrv/target/alpha-ren.jar} with {@code lib/}) as a real
 * node process, with the same JVM flags the launcher uses and a modest heap. Stateless.
 */
public final class NodeProcess {
  private NodeProcess() {}

  /** The folder holding {@code alpha-ren.jar} and {@code lib/}: Failsafe passes it in. */
  public static Path distribution() {
    String dist = System.getProperty("alpharen.dist");
    Path dir = dist != null ? Path.of(dist) : Path.of("target").toAbsolutePath();
    if (!Files.isRegularFile(dir.resolve("alpha-ren.jar"))) {
      throw new IllegalStateException("no distribution at " + dir.resolve("alpha-ren.jar")
          + "; build it with 'mvn -pl arsrv -am package' (Failsafe sets -Dalpharen.dist)");
    }
    return dir;
  }

  /** The JVM flags the node needs, from the distribution's {@code jvm.options} (as bin/alpha-ren). */
  public static List<String> jvmFlags() {
    try {
      String flags = Files.readString(distribution().resolve("jvm.options"));
      return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the distribution's jvm.options", e);
    }
  }

  /**
   * Starts {@code java -jar alpha-ren.jar <args>} in {@code workDir}, output appended to {@code log}.
   *
   * @param env extra environment variables
   */
  public static Process start(Path workDir, Path log, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvmFlags());
    command.add("-jar");
    command.add(distribution().resolve("alpha-ren.jar").toString());
    command.addAll(List.of(args));
    Files.createDirectories(workDir);
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("ALPHAREN_"));
    builder.environment().putAll(env);
    return builder.start();
  }
}
