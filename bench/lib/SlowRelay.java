import dev.alpharen.arclst.testing.TcpRelay;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * bench/proxy.sh's slow backend: arclst's test {@code TcpRelay} on 127.0.0.1:LISTEN_PORT in front
 * of 127.0.0.1:TARGET_PORT, each direction delayed by half of EXTRA_RTT_MS, so that every round
 * trip through it takes EXTRA_RTT_MS longer. Runs until killed.
 *
 * <pre>java -cp arclst-tests.jar bench/lib/SlowRelay.java LISTEN_PORT TARGET_PORT EXTRA_RTT_MS</pre>
 */
public final class SlowRelay {
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: SlowRelay LISTEN_PORT TARGET_PORT EXTRA_RTT_MS");
      System.exit(2);
    }
    int listen = Integer.parseInt(args[0]);
    int target = Integer.parseInt(args[1]);
    long extraRttMs = Long.parseLong(args[2]);
    TcpRelay relay = TcpRelay.start(listen, new InetSocketAddress("127.0.0.1", target));
    relay.delay(Duration.ofNanos(extraRttMs * 1_000_000L / 2));
    Runtime.getRuntime().addShutdownHook(new Thread(relay::close));
    System.err.println("relay 127.0.0.1:" + relay.port() + " -> 127.0.0.1:" + target + ", +"
        + extraRttMs + " ms per round trip");
    new CountDownLatch(1).await();
  }
}
