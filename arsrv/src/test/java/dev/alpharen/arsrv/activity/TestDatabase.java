package dev.alpharen.arsrv.activity;

import java.io.IOException;

/**
 * A private database server a test starts on a free loopback port: it can be killed (an outage,
 * as a crash would make one) and started again on the same port.
 */
interface TestDatabase extends AutoCloseable {
  /** A JDBC URL of the database {@code name} on this server. */
  String url(String name);

  /** A user that may do anything, without a password. */
  String user();

  /** Creates an empty database. */
  void createDatabase(String name) throws Exception;

  /** Kills the server (SIGKILL) and waits until it is gone. */
  void kill() throws InterruptedException;

  /** Starts the server (again) on its port and waits until it accepts connections. */
  void startServer() throws IOException;

  @Override
  void close() throws Exception;
}
