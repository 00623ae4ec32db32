package dev.alpharen.arclst.discovery;

import static dev.alpharen.arclst.discovery.LoopbackMembers.clusterSize;
import static dev.alpharen.arclst.discovery.LoopbackMembers.freePort;
import static dev.alpharen.arclst.discovery.LoopbackMembers.seed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hazelcast.config.Config;
import com.hazelcast.config.MulticastConfig;
import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.JoinSettings;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Real members on 127.0.0.1 that find each other by multicast, which never leaves the machine. */
final class MulticastJoinIT {
  /** Hazelcast's default multicast group, which ClusterMember keeps. */
  private static final String GROUP = "224.2.2.3";

  private final LoopbackMembers members = new LoopbackMembers();

  @BeforeEach
  void requireLoopbackMulticast() {
    String problem = loopbackMulticastProblem();
    Assumptions.assumeTrue(problem.isEmpty(), "multicast on 127.0.0.1 does not work on this"
        + " machine (" + problem + "), so members cannot find each other by multicast here");
  }

  @AfterEach
  void stopAll() {
    members.close();
  }

  @Test
  void twoMembersOnLoopbackFindEachOtherByMulticast() {
    String clusterName = LoopbackMembers.uniqueClusterName();
    JoinSettings multicast = new JoinSettings(List.of(), true, "", "");

    ClusterMember a = members.start(clusterName, freePort(), multicast);
    ClusterMember b = members.start(clusterName, freePort(), multicast);

    await().atMost(Duration.ofSeconds(20)).until(() -> clusterSize(a) == 2 && clusterSize(b) == 2);
  }

  @Test
  void multicastOnLoopbackStaysOnThisMachine() {
    ClusterMember a = members.start(LoopbackMembers.uniqueClusterName(), freePort(),
        new JoinSettings(List.of(), true, "", ""));

    Config config = a.hazelcast().getConfig();
    MulticastConfig multicast = config.getNetworkConfig().getJoin().getMulticastConfig();
    assertEquals(0, multicast.getMulticastTimeToLive(), "TTL 0: datagrams stay on this host");
    assertEquals(Boolean.TRUE, multicast.getLoopbackModeEnabled());
    assertEquals(Set.of("127.0.0.1"), multicast.getTrustedInterfaces());
    assertEquals("true", config.getProperty("hazelcast.multicast.socket.set.interface"),
        "sent through the loopback interface, not the default route's");
    assertFalse(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
  }

  @Test
  void multicastWinsOverStaticSeedsWithAWarning() {
    Logger logger = (Logger) LoggerFactory.getLogger(ClusterMember.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      int unusedSeed = freePort();
      ClusterMember a = members.start(LoopbackMembers.uniqueClusterName(), freePort(),
          new JoinSettings(List.of(seed(unusedSeed)), true, "", ""));

      assertEquals(1, clusterSize(a));
      assertEquals(List.of("cluster.join.multicast is on, so cluster.join.members ["
          + seed(unusedSeed) + "] and cluster.join.dns '' are ignored; expected only one way to"
          + " join (Hazelcast runs one joiner)"), appender.list.stream()
          .filter(e -> e.getLevel().toString().equals("WARN"))
          .map(ILoggingEvent::getFormattedMessage).toList());
    } finally {
      logger.detachAppender(appender);
    }
  }

  /**
   * Sends one datagram to the group through the loopback interface with TTL 0 and waits up to 2 s
   * to hear it back, as ClusterMember's multicast settings do; the empty string when it arrives.
   */
  private static String loopbackMulticastProblem() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (MulticastSocket socket = new MulticastSocket(new InetSocketAddress(0))) {
      InetAddress group = InetAddress.getByName(GROUP);
      NetworkInterface lo = NetworkInterface.getByInetAddress(loopback);
      socket.setNetworkInterface(lo);
      socket.setTimeToLive(0);
      socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      socket.joinGroup(new InetSocketAddress(group, 0), lo);
      socket.setSoTimeout(2_000);
      byte[] probe = ("probe-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
      socket.send(new DatagramPacket(probe, probe.length, group, socket.getLocalPort()));
      DatagramPacket received = new DatagramPacket(new byte[probe.length], probe.length);
      socket.receive(received);
      return "";
    } catch (SocketTimeoutException e) {
      return "a datagram sent to " + GROUP + " via lo was not received within 2 s";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
