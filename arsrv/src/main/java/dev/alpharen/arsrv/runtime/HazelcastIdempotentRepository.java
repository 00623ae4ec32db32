package dev.alpharen.arsrv.runtime;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * An idempotent-consumer repository shared by the whole cluster, in the Hazelcast map
 * {@value #MAP}: a message key added on one node is known on every node, so a message redelivered
 * to another node after a failover is processed once. Keys are forgotten after {@link #KEEP}.
 * Bound as {@value #BEAN}; routes use it with
 * {@code idempotentConsumer: {idempotentRepository: clusterIdempotentRepository, ...}}.
 * Thread-safe.
 */
final class HazelcastIdempotentRepository extends ServiceSupport implements IdempotentRepository {
  /** The bean name routes refer to. */
  static final String BEAN = "clusterIdempotentRepository";
  /** The Hazelcast map holding the keys. */
  static final String MAP = "alpharen.idempotent";
  /** How long a key is remembered. */
  static final Duration KEEP = Duration.ofDays(7);

  private final IMap<String, Boolean> keys;

  HazelcastIdempotentRepository(HazelcastInstance hazelcast) {
    this.keys = hazelcast.getMap(MAP);
  }

  @Override
  public boolean add(String key) {
    return keys.putIfAbsent(key, Boolean.TRUE, KEEP.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  @Override
  public boolean contains(String key) {
    return keys.containsKey(key);
  }

  @Override
  public boolean remove(String key) {
    return keys.remove(key) != null;
  }

  @Override
  public boolean confirm(String key) {
    return true;
  }

  @Override
  public void clear() {
    keys.clear();
  }
}
