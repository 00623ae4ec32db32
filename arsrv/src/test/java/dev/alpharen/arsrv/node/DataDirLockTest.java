package dev.alpharen.arsrv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
  @TempDir
  Path tmp;

  @Test
  void createsAMissingDataDirectory() throws Exception {
    Path dataDir = tmp.resolve("nodes/a");

    try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
      assertTrue(Files.isDirectory(dataDir));
    }
  }

  @Test
  void refusesASecondNodeOnTheSameDirectoryNamingThePid() throws Exception {
    try (DataDirLock first = DataDirLock.acquire(tmp)) {
      StartupException e = assertThrows(StartupException.class, () -> DataDirLock.acquire(tmp));

      assertEquals("data directory " + tmp.toAbsolutePath() + " is already in use by another node"
          + " (pid " + ProcessHandle.current().pid() + "); give each node its own node.dataDir",
          e.getMessage());
    }
  }

  @Test
  @Timeout(60)
  void refusingASecondNodeKeepsTheLockAgainstOtherProcesses() throws Exception {
    try (DataDirLock first = DataDirLock.acquire(tmp)) {
      assertThrows(StartupException.class, () -> DataDirLock.acquire(tmp));
      assertThrows(StartupException.class, () -> DataDirLock.acquire(tmp.resolve(".")));

      Process other = startLockProcess("try");
      String answer = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(other.waitFor(30, TimeUnit.SECONDS), "the other process did not exit");
      assertTrue(answer.contains("is already in use by another node (pid "
          + ProcessHandle.current().pid() + ")"), answer);
    }
  }

  @Test
  void canBeAcquiredAgainAfterClose() throws Exception {
    DataDirLock.acquire(tmp).close();

    try (DataDirLock again = DataDirLock.acquire(tmp)) {
      assertEquals(Long.toString(ProcessHandle.current().pid()),
          Files.readString(tmp.resolve("node.lock")));
    }
  }

  @Test
  @Timeout(60)
  void refusesADirectoryLockedByAnotherProcessUntilThatProcessIsKilled() throws Exception {
    Process holder = startLockProcess("hold");
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine(), "the holder process did not lock " + tmp);

      StartupException e = assertThrows(StartupException.class, () -> DataDirLock.acquire(tmp));
      assertTrue(e.getMessage().contains(" is already in use by another node (pid "
          + holder.pid() + ")"), e.getMessage());

      holder.destroyForcibly(); // SIGKILL: the node gets no chance to release anything
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "holder did not exit");
      DataDirLock.acquire(tmp).close();
    } finally {
      holder.destroyForcibly();
    }
  }

  /** Starts {@link LockProcess} on the temporary directory; its output includes its errors. */
  private Process startLockProcess(String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LockProcess.class.getName(), mode, tmp.toString()).redirectErrorStream(true).start();
  }

  /**
   * Another node's process: {@code hold DIR} locks DIR, prints "locked" and holds the lock until
   * killed; {@code try DIR} tries once and prints the outcome.
   */
  static final class LockProcess {
    public static void main(String[] args) throws Exception {
      DataDirLock lock;
      try {
        lock = DataDirLock.acquire(Path.of(args[1]));
      } catch (StartupException e) {
        System.out.println("refused: " + e.getMessage());
        return;
      }
      System.out.println("locked");
      System.out.flush();
      if (args[0].equals("hold")) {
        while (System.in.read() >= 0) {
          // hold the lock until stdin closes or the process is killed
        }
      }
      lock.close();
    }
  }
}
