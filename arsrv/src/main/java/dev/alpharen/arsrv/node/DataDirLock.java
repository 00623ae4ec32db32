package dev.alpharen.arsrv.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a node's data directory, held for the life of the process, so that two nodes
 * never share one. The OS drops the lock when the process dies, even with {@code kill -9}.
 */
public final class DataDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it. */
  public static DataDirLock acquire(Path dataDir) throws StartupException {
    Path lockFile = dataDir.resolve("node.lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(dataDir);
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
        channel.close();
        throw new StartupException("data directory " + dataDir.toAbsolutePath()
            + " is already in use by another node (pid " + (holder.isEmpty() ? "unknown" : holder)
            + "); give each node its own node.dataDir");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(
          Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StartupException("cannot use data directory " + dataDir.toAbsolutePath() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing; the original error is what the operator needs
      }
    }
  }
}
