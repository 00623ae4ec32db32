package dev.alpharen.arsrv.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

  private static Optional<Path> archive;

  /**
   * The distribution's class-data archive, made once per build as bin/alpha-ren makes it (a
   * training run of a throw-away node): node processes load their classes from it and start in
   * about half the time. Empty if it cannot be made; nodes then start without it.
   */
  static synchronized Optional<Path> classData() {
    if (archive != null) {
      return archive;
    }
    Path dist = distribution();
    Path jar = dist.resolve("alpha-ren.jar");
    Path jsa = dist.resolve("alpha-ren.jsa");
    Path log = dist.resolve("alpha-ren.jsa.log");
    try {
      if (!Files.exists(jsa)
          || Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) < 0) {
        Path made = dist.resolve("alpha-ren.jsa.tmp-" + ProcessHandle.current().pid());
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
            "-XX:+UseSerialGC"));
        command.addAll(jvmFlags());
        command.addAll(List.of("-XX:ArchiveClassesAtExit=" + made, "-jar", jar.toString(),
            "train"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("ALPHAREN_"));
        Process training = builder.start();
        if (training.waitFor(120, TimeUnit.SECONDS) && training.exitValue() == 0
            && Files.exists(made)) {
          Files.move(made, jsa, StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        } else {
          training.destroyForcibly();
          Files.deleteIfExists(made);
        }
      }
      archive = Files.exists(jsa) ? Optional.of(jsa) : Optional.empty();
    } catch (IOException e) {
      archive = Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      archive = Optional.empty();
    }
    if (archive.isEmpty()) {
      System.err.println("node processes start without a class-data archive; see " + log);
    }
    return archive;
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
    classData().ifPresent(jsa -> {
      command.add("-XX:SharedArchiveFile=" + jsa);
      command.add("-Xshare:auto");
    });
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
