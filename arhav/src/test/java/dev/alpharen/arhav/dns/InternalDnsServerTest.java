package dev.alpharen.arhav.dns;

import static dev.alpharen.arhav.dns.DnsFixtures.ZONE;
import static dev.alpharen.arhav.dns.DnsFixtures.manyNodes;
import static dev.alpharen.arhav.dns.DnsFixtures.query;
import static dev.alpharen.arhav.dns.DnsFixtures.rdata;
import static dev.alpharen.arhav.dns.DnsFixtures.serving;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class InternalDnsServerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String HTTP = "_http._tcp.prod.arclst.";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final AtomicReference<List<DnsNode>> nodes = new AtomicReference<>(List.of(
      serving("node-a", "10.0.0.1", 8080), serving("node-b", "10.0.0.2", 8081)));
  private final List<AutoCloseable> closeAfter = new ArrayList<>();
  private InternalDnsServer server;

  @BeforeEach
  void start() throws IOException {
    server = InternalDnsServer.start("127.0.0.1", 0, ZONE, nodes::get);
    closeAfter.add(server);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  private Message ask(InternalDnsServer dns, String name, int type, boolean tcp)
      throws IOException {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(LOOPBACK, dns.port()));
    resolver.setTimeout(TIMEOUT);
    resolver.setTCP(tcp);
    return resolver.send(query(name, type));
  }

  private Message ask(String name, int type, boolean tcp) throws IOException {
    return ask(server, name, type, tcp);
  }

  private DatagramSocket udpClient() throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    closeAfter.add(socket);
    return socket;
  }

  private Socket tcpClient() throws IOException {
    Socket socket = new Socket(LOOPBACK, server.port());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    closeAfter.add(socket);
    return socket;
  }

  private static void writeFramed(Socket socket, byte[] message) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(new byte[] {(byte) (message.length >>> 8), (byte) message.length});
    out.write(message);
    out.flush();
  }

  private static Message readFramed(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] message = new byte[in.readUnsignedShort()];
    in.readFully(message);
    return new Message(message);
  }

  private static Message receive(DatagramSocket socket) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
    socket.receive(packet);
    return new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void answersANodesAddress(boolean tcp) throws IOException {
    Message response = ask("node-b.prod.arclst.", Type.A, tcp);
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.getHeader().getFlag(Flags.AA));
    assertEquals(List.of("10.0.0.2"), rdata(response, Section.ANSWER));
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void answersTheHttpServiceNearestFirst(boolean tcp) throws IOException {
    Message response = ask(HTTP, Type.SRV, tcp);
    assertEquals(List.of("0 0 8080 node-a.prod.arclst.", "1 0 8081 node-b.prod.arclst."),
        rdata(response, Section.ANSWER));
    assertEquals(List.of("10.0.0.1", "10.0.0.2"), rdata(response, Section.ADDITIONAL));
  }

  @ParameterizedTest(name = "tcp={0}")
  @ValueSource(booleans = {false, true})
  void refusesNamesOutsideTheZone(boolean tcp) throws IOException {
    assertEquals(Rcode.REFUSED, ask("example.com.", Type.A, tcp).getRcode());
    assertEquals(Rcode.REFUSED, ask(".", Type.NS, tcp).getRcode());
  }

  @Test
  void answersFromTheNodesOfTheMoment() throws IOException {
    assertEquals(Rcode.NXDOMAIN, ask("node-c.prod.arclst.", Type.A, false).getRcode());
    nodes.set(List.of(serving("node-c", "10.0.0.3", 8082), serving("node-a", "10.0.0.1", 8080)));
    assertEquals(List.of("10.0.0.3"), rdata(ask("node-c.prod.arclst.", Type.A, false),
        Section.ANSWER));
    assertEquals(List.of("0 0 8082 node-c.prod.arclst.", "1 0 8080 node-a.prod.arclst."),
        rdata(ask(HTTP, Type.SRV, false), Section.ANSWER));
  }

  @Test
  void truncatedUdpAnswerArrivesWholeOverTcp() throws IOException {
    nodes.set(manyNodes(40));
    DatagramSocket client = udpClient();
    byte[] query = query(HTTP, Type.SRV).toWire();
    client.send(new DatagramPacket(query, query.length, LOOPBACK, server.port()));
    Message udp = receive(client);
    assertTrue(udp.getHeader().getFlag(Flags.TC), "UDP answer truncated");

    // SimpleResolver retries a truncated answer over TCP, as every stub resolver does.
    Message whole = ask(HTTP, Type.SRV, false);
    assertFalse(whole.getHeader().getFlag(Flags.TC));
    assertEquals(40, whole.getSection(Section.ANSWER).size());
  }

  @Test
  void survivesMalformedUdpPacketsAndKeepsAnswering() throws IOException {
    DatagramSocket client = udpClient();
    List<byte[]> packets = new ArrayList<>();
    packets.add(new byte[] {0x05, 0x05, 0x01, 0x00, 0x00}); // 5 bytes: no header, no answer
    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      byte[] junk = new byte[random.nextInt(300)];
      random.nextBytes(junk);
      packets.add(junk);
    }
    // Last, a header claiming one question with no question bytes: FORMERR with its id.
    packets.add(new byte[] {0x7E, 0x57, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
    for (byte[] p : packets) {
      client.send(new DatagramPacket(p, p.length, LOOPBACK, server.port()));
    }
    // One thread answers in arrival order: everything before the last packet's FORMERR is an
    // answer to one of the random packets, never to the 5-byte one.
    Message response;
    do {
      response = receive(client);
      assertTrue(response.getHeader().getFlag(Flags.QR));
      assertTrue(response.getHeader().getID() != 0x0505, "answered a 5-byte packet");
    } while (response.getHeader().getID() != 0x7E57);
    assertEquals("FORMERR", Rcode.string(response.getRcode()));

    assertEquals(List.of("10.0.0.1"), rdata(ask("node-a.prod.arclst.", Type.A, false),
        Section.ANSWER));
  }

  @Test
  void survivesGarbageOverTcpAndServesOtherConnections() throws IOException {
    Socket oversized = tcpClient();
    oversized.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3});
    assertEquals(-1, oversized.getInputStream().read(), "closed after a 64 KiB length prefix");

    Socket tooShort = tcpClient();
    writeFramed(tooShort, new byte[] {1, 2, 3, 4, 5});
    assertEquals(-1, tooShort.getInputStream().read(), "closed after a 5-byte message");

    Socket headerOnly = tcpClient();
    writeFramed(headerOnly, new byte[] {0x7E, 0x57, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
    Message formErr = readFramed(headerOnly);
    assertEquals("FORMERR", Rcode.string(formErr.getRcode()));
    assertEquals(0x7E57, formErr.getHeader().getID());

    Socket cutOff = tcpClient();
    cutOff.getOutputStream().write(new byte[] {0, 40, 0x12, 0x34, 0x01}); // then nothing
    cutOff.shutdownOutput();

    Socket stalled = tcpClient(); // stays open mid-message while others are served
    stalled.getOutputStream().write(new byte[] {0, 40, 0x12, 0x34});

    assertEquals(List.of("10.0.0.1"), rdata(ask("node-a.prod.arclst.", Type.A, true),
        Section.ANSWER));
    assertEquals(List.of("10.0.0.2"), rdata(ask("node-b.prod.arclst.", Type.A, false),
        Section.ANSWER));
  }

  @Test
  void servesSeveralQueriesOnOneTcpConnection() throws IOException {
    Socket socket = tcpClient();
    Message first = query("node-a.prod.arclst.", Type.A);
    Message second = query(HTTP, Type.SRV);
    writeFramed(socket, first.toWire());
    writeFramed(socket, second.toWire()); // pipelined, before reading the first answer
    Message one = readFramed(socket);
    Message two = readFramed(socket);
    assertEquals(first.getHeader().getID(), one.getHeader().getID());
    assertEquals(List.of("10.0.0.1"), rdata(one, Section.ANSWER));
    assertEquals(second.getHeader().getID(), two.getHeader().getID());
    assertEquals(2, two.getSection(Section.ANSWER).size());
    Message third = query("node-b.prod.arclst.", Type.TXT);
    writeFramed(socket, third.toWire());
    assertEquals(third.getHeader().getID(), readFramed(socket).getHeader().getID());
  }

  @Test
  void closesAnIdleTcpConnection() throws IOException {
    InternalDnsServer quick = InternalDnsServer.start("127.0.0.1", 0, ZONE, nodes::get,
        new TcpLimits(Duration.ofMillis(300), 64, 4096));
    closeAfter.add(quick);
    Socket socket = new Socket(LOOPBACK, quick.port());
    closeAfter.add(socket);
    socket.setSoTimeout((int) TIMEOUT.toMillis()); // far longer than the server's idle limit
    writeFramed(socket, query("node-a.prod.arclst.", Type.A).toWire());
    assertEquals(Rcode.NOERROR, readFramed(socket).getRcode());
    assertEquals(-1, socket.getInputStream().read(), "server closed the idle connection");
  }

  @Test
  void closesConnectionsBeyondTheLimitAndAcceptsAgainWhenOneCloses() throws IOException {
    InternalDnsServer small = InternalDnsServer.start("127.0.0.1", 0, ZONE, nodes::get,
        new TcpLimits(Duration.ofSeconds(30), 2, 4096));
    closeAfter.add(small);
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Socket socket = new Socket(LOOPBACK, small.port());
      closeAfter.add(socket);
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      writeFramed(socket, query("node-a.prod.arclst.", Type.A).toWire());
      assertEquals(Rcode.NOERROR, readFramed(socket).getRcode()); // being served
      held.add(socket);
    }
    Socket third = new Socket(LOOPBACK, small.port());
    closeAfter.add(third);
    third.setSoTimeout((int) TIMEOUT.toMillis());
    assertEquals(-1, third.getInputStream().read(), "third connection closed at once");

    held.get(0).close();
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertEquals(List.of("10.0.0.1"), rdata(ask(small, "node-a.prod.arclst.", Type.A, true),
            Section.ANSWER)));
  }

  @Test
  void closeStopsBothListenersAndTheirThreadsAndIsIdempotent() throws IOException {
    int port = server.port();
    assertEquals(Rcode.NOERROR, ask("node-a.prod.arclst.", Type.A, true).getRcode());
    List<Thread> threads = dnsThreads(port);
    assertTrue(threads.stream().anyMatch(t -> t.getName().equals("dns-udp-" + port)), "udp");
    assertTrue(threads.stream().anyMatch(t -> t.getName().equals("dns-tcp-" + port)), "tcp");
    assertTrue(threads.stream().allMatch(Thread::isDaemon), "daemon threads");

    server.close();
    server.close();

    await().atMost(TIMEOUT).until(() -> dnsThreads(port).isEmpty());
    assertThrows(ConnectException.class, () -> new Socket(LOOPBACK, port).close());
    assertThrows(IOException.class, () -> ask(server, "node-a.prod.arclst.", Type.A, false));
  }

  private static List<Thread> dnsThreads(int port) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("dns-udp-" + port)
            || t.getName().startsWith("dns-tcp-" + port))
        .filter(Thread::isAlive).toList();
  }

  @Test
  void failsToStartOnATakenPortNamingTheAddress() {
    IOException e = assertThrows(IOException.class,
        () -> InternalDnsServer.start("127.0.0.1", server.port(), ZONE, nodes::get));
    assertTrue(e.getMessage().startsWith("internal DNS cannot listen on TCP 127.0.0.1:"
        + server.port() + ": "), e.getMessage());
  }

  @Test
  void rejectsARelativeZone() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InternalDnsServer.start("127.0.0.1", 0, "prod.arclst", nodes::get));
    assertEquals("DNS zone \"prod.arclst\" is not allowed; it must be absolute (end with a dot)"
        + " and below the root, e.g. prod.arclst.", e.getMessage());
  }
}
