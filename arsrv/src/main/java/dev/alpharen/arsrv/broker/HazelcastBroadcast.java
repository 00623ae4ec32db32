package dev.alpharen.arsrv.broker;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.BroadcastEndpoint;
import org.apache.activemq.artemis.api.core.BroadcastEndpointFactory;

/**
 * Artemis broker discovery over the Hazelcast cluster the node already belongs to: a broadcast
 * group publishes its connectors on a Hazelcast topic and discovery groups read them, so the
 * brokers of one ARCLST find each other exactly as Hazelcast members do (no UDP multicast, no
 * JGroups, nothing extra to open on the LAN).
 *
 * <p>Artemis copies its configuration (a colocated backup gets a copy of its primary's), so the
 * factory is serializable and names a channel; the Hazelcast instance behind the channel is
 * {@link #register registered} once per node.
 */
public final class HazelcastBroadcast implements BroadcastEndpointFactory {
  private static final long serialVersionUID = 1L;
  private static final Map<String, HazelcastInstance> CHANNELS = new ConcurrentHashMap<>();
  private static final int MAX_PENDING = 1_000;

  private final String channel;

  /** @param channel a channel registered with {@link #register} */
  public HazelcastBroadcast(String channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
  }

  /** Makes {@code hazelcast} carry the broadcasts of {@code channel} in this JVM. */
  public static void register(String channel, HazelcastInstance hazelcast) {
    CHANNELS.put(channel, hazelcast);
  }

  /** Forgets a channel (the node is stopping). */
  public static void unregister(String channel) {
    CHANNELS.remove(channel);
  }

  @Override
  public BroadcastEndpoint createBroadcastEndpoint() {
    HazelcastInstance hz = CHANNELS.get(channel);
    if (hz == null) {
      throw new IllegalStateException("broker discovery channel '" + channel
          + "' has no Hazelcast member in this JVM");
    }
    return new Endpoint(hz.getTopic("alpharen.broker." + channel));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HazelcastBroadcast other && other.channel.equals(channel);
  }

  @Override
  public int hashCode() {
    return channel.hashCode();
  }

  /** One side of the channel: a broadcaster publishes, a client queues what it hears. */
  private static final class Endpoint implements BroadcastEndpoint {
    private final ITopic<byte[]> topic;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>(MAX_PENDING);
    private volatile UUID listener;

    Endpoint(ITopic<byte[]> topic) {
      this.topic = topic;
    }

    @Override
    public void openClient() {
      listener = topic.addMessageListener(message -> {
        // A slow reader loses the oldest broadcasts, never the newest: each one repeats the
        // sender's whole state.
        while (!received.offer(message.getMessageObject())) {
          received.poll();
        }
      });
    }

    @Override
    public void openBroadcaster() {
      // Publishing needs no set-up.
    }

    @Override
    public void close(boolean isBroadcast) {
      UUID id = listener;
      if (id != null) {
        listener = null;
        try {
          topic.removeMessageListener(id);
        } catch (RuntimeException e) {
          // The Hazelcast member is already gone; the listener went with it.
        }
      }
    }

    @Override
    public void broadcast(byte[] data) {
      topic.publish(data);
    }

    @Override
    public byte[] receiveBroadcast() throws InterruptedException {
      return received.take();
    }

    @Override
    public byte[] receiveBroadcast(long time, TimeUnit unit) throws InterruptedException {
      return received.poll(time, unit);
    }
  }
}
