package dev.alpharen.arwadm;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * What the admin API shows of the cluster's dead letters: integration messages whose retries are
 * exhausted, kept by the broker of the node where they failed (implemented by ARSRV). Answers are
 * JSON-ready maps. Implementations are thread-safe.
 */
public interface DeadLetters {
  /**
   * The dead letters of every node, those that first failed earliest first: id, node,
   * integration, route, queue, error, attempts, first and last failure, history, body preview
   * and size.
   *
   * @param integration only this integration's, if given
   * @param limit at most this many
   */
  List<Map<String, Object>> list(Optional<String> integration, int limit);

  /**
   * Moves a dead letter back to the queue it came from for another run through its route, with
   * its durable runs counted from zero again.
   *
   * @return {@code {"id","queue","replayed":true}}
   * @throws NoSuchElementException if no node holds a dead letter with that id
   */
  Map<String, Object> replay(String id);

  /**
   * Discards a dead letter.
   *
   * @return {@code {"id","deleted":true}}
   * @throws NoSuchElementException if no node holds a dead letter with that id
   */
  Map<String, Object> delete(String id);
}
