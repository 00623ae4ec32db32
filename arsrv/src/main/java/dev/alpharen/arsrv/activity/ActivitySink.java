package dev.alpharen.arsrv.activity;

import java.io.IOException;
import java.util.List;

/**
 * A destination that activities are forwarded to from the journal's file: a database, a syslog
 * receiver, a webhook, later mail. A {@link Forwarder} calls it from one thread with batches in
 * journal order and retries a batch that failed, so a sink may receive a batch again after a
 * failure or a crash and should tolerate duplicates (each activity has a unique id).
 */
public interface ActivitySink extends AutoCloseable {
  /** The sink's name in rules, metrics, cursors and health: {@code syslog}, {@code webhook}, … */
  String name();

  /**
   * Delivers the batch, or throws when it could not be delivered as a whole.
   *
   * @throws IOException saying why, for the health details and the log
   */
  void send(List<Activity> batch) throws IOException;

  @Override
  default void close() throws IOException {}
}
