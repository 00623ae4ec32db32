package dev.alpharen.arsrv.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a node's data directory, held for the life of the process, so that two nodes
 * never share one. The OS drops the lock when the process dies, even with {@code kill -9}.
 * Thread-safe.
 */
public final class DataDirLock implements AutoCloseable {
  /**
   * Directories locked by this process. OS file locks belong to the process, so a second node in
   * the same JVM must be refused before it opens the lock file: {@code tryLock} would throw
   * {@link java.nio.channels.OverlappingFileLockException}, and closing any channel or stream on
   * that file drops the process's lock for everyone (POSIX {@code fcntl} semantics).
   */
  private static final Set<Path> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

  private final Path dataDir;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(Path dataDir, FileChannel channel, FileLock lock) {
    this.dataDir = dataDir;
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it. */
  public static DataDirLock acquire(Path dataDir) throws StartupException {
    FileChannel channel = null;
    Path held = null;
    try {
      Files.createDirectories(dataDir);
      Path real = dataDir.toRealPath();
      if (!HELD_IN_THIS_PROCESS.add(real)) {
        throw inUse(dataDir, Long.toString(ProcessHandle.current().pid()));
      }
      held = real;
      Path lockFile = real.resolve("node.lock");
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
        throw inUse(dataDir, holder.isEmpty() ? "unknown" : holder);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(
          Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
      return new DataDirLock(real, channel, lock);
    } catch (IOException e) {
      abandon(channel, held);
      throw new StartupException("cannot use data directory " + dataDir.toAbsolutePath() + ": "
          + e.getMessage(), e);
    } catch (StartupException e) {
      abandon(channel, held);
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      HELD_IN_THIS_PROCESS.remove(dataDir);
    }
  }

  private static StartupException inUse(Path dataDir, String pid) {
    return new StartupException("data directory " + dataDir.toAbsolutePath()
        + " is already in use by another node (pid " + pid + "); give each node its own"
        + " node.dataDir");
  }

  /** Undoes a failed acquire; {@code held} is null unless this call had claimed the directory. */
  private static void abandon(FileChannel channel, Path held) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing; the original error is what the operator needs
      }
    }
    if (held != null) {
      HELD_IN_THIS_PROCESS.remove(held);
    }
  }
}
