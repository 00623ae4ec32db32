package dev.alpharen.arsrv.runtime;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * An idempotent-consumer repository shared by the whole cluster, in the Hazelcast map
 * {@value #MAP}: a message key added on one node is known on every node, so a message redelivered
 * to another node after a failover is processed once. Keys are forgotten after {@link #KEEP}.
 * Each integration has keys of its own: a key seen in an exchange of integration {@code orders}
 * is kept as {@code orders/<key>}, so two integrations never suppress each other's messages (an
 * exchange of no integration keeps its key bare). Bound as {@value #BEAN}; routes use it with
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
  public boolean add(Exchange exchange, String key) {
    return add(scoped(exchange, key));
  }

  @Override
  public boolean contains(Exchange exchange, String key) {
    return contains(scoped(exchange, key));
  }

  @Override
  public boolean remove(Exchange exchange, String key) {
    return remove(scoped(exchange, key));
  }

  @Override
  public boolean confirm(Exchange exchange, String key) {
    return confirm(scoped(exchange, key));
  }

  /** {@code <integration>/<key>}: routes are named {@code <integration>.<route>}. */
  static String scoped(Exchange exchange, String key) {
    String route = exchange.getFromRouteId();
    int dot = route == null ? -1 : route.indexOf('.');
    return dot <= 0 ? key : route.substring(0, dot) + "/" + key;
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
