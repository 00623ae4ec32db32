package dev.alpharen.arsrv.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The syslog sink against real listeners on loopback that parse what arrives as RFC 5424. */
class SyslogSinkTest {
  /** PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG (RFC 5424 §6). */
  private static final Pattern RFC5424 = Pattern.compile("<(\\d{1,3})>1 (\\S+) (\\S{1,255})"
      + " (\\S{1,48}) (\\S{1,128}) (\\S{1,32})"
      + " (-|(?:\\[[^ \\]]+(?: [^ =\\]]+=\"(?:[^\"\\\\]|\\\\.)*\")*\\])+)"
      + "(?: (.*))?", Pattern.DOTALL);

  private final List<Activity> activities = List.of(
      activity("n1-1", ActivityType.EXCHANGE_FAILED, Severity.ERROR, "orders",
          "exchange failed: \"quoted\" [bracket]"),
      activity("n1-2", ActivityType.NODE_STOPPED, Severity.NOTICE, "", "node n1 is stopping"));

  @Test
  void sendsEachActivityAsOneRfc5424DatagramOverUdp() throws Exception {
    try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(10_000);
      try (SyslogSink sink = new SyslogSink("127.0.0.1", listener.getLocalPort(), "udp")) {
        sink.send(activities);
      }
      List<String> received = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        DatagramPacket packet = new DatagramPacket(new byte[8192], 8192);
        listener.receive(packet);
        received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
      }
      assertParsed(received);
    }
  }

  @Test
  void cutsALongUdpMessageOnACharacterBoundary() throws Exception {
    try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(10_000);
      // three-byte characters past the limit, shifted by 0, 1, 2 bytes: one cut falls inside one
      List<Activity> longOnes = new ArrayList<>();
      for (int shift = 0; shift < 3; shift++) {
        longOnes.add(activity("n1-" + shift, ActivityType.EXCHANGE_FAILED, Severity.ERROR, "orders",
            "x".repeat(shift) + "\u20ac".repeat(4000)));
      }
      try (SyslogSink sink = new SyslogSink("127.0.0.1", listener.getLocalPort(), "udp")) {
        sink.send(longOnes);
      }
      for (Activity a : longOnes) {
        DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
        listener.receive(packet);
        byte[] full = SyslogSink.format(a).getBytes(StandardCharsets.UTF_8);
        assertTrue(packet.getLength() <= 8192 && packet.getLength() >= 8190,
            "cut at most two bytes short of 8192: " + packet.getLength());
        String text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(packet.getData(), 0, packet.getLength())).toString();
        assertTrue(new String(full, StandardCharsets.UTF_8).startsWith(text),
            "the datagram is the message's beginning");
        assertTrue(RFC5424.matcher(text).matches(), "still RFC 5424: " + text.substring(0, 120));
      }
    }
  }

  @Test
  void sendsOctetCountedFramesOverTcp() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setSoTimeout(10_000);
      try (SyslogSink sink = new SyslogSink("127.0.0.1", listener.getLocalPort(), "tcp")) {
        sink.send(activities);
        try (Socket connection = listener.accept()) {
          connection.setSoTimeout(10_000);
          InputStream in = new BufferedInputStream(connection.getInputStream());
          assertParsed(List.of(frame(in), frame(in)));
        }
      }
    }
  }

  @Test
  void failsWhenNoTcpReceiverListens() throws Exception {
    int port;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = gone.getLocalPort();
    }
    try (SyslogSink sink = new SyslogSink("127.0.0.1", port, "tcp")) {
      IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
          () -> sink.send(activities));
      assertTrue(e.getMessage().startsWith("syslog tcp://127.0.0.1:" + port + ": "),
          e.getMessage());
    }
  }

  private void assertParsed(List<String> messages) {
    Matcher first = RFC5424.matcher(messages.get(0));
    assertTrue(first.matches(), "not RFC 5424: " + messages.get(0));
    assertEquals(16 * 8 + 3, Integer.parseInt(first.group(1))); // local0.err
    assertEquals(Instant.parse("2026-11-25T07:30:00.123Z"), Instant.parse(first.group(2)));
    assertEquals("n1", first.group(3));
    assertEquals("alpha-ren", first.group(4));
    assertEquals("exchange.failed", first.group(6));
    assertEquals("[alpharen@32473 id=\"n1-1\" cluster=\"c1\" integration=\"orders\"]",
        first.group(7));
    assertEquals("\uFEFFexchange failed: \"quoted\" [bracket]", first.group(8));

    Matcher second = RFC5424.matcher(messages.get(1));
    assertTrue(second.matches(), "not RFC 5424: " + messages.get(1));
    assertEquals(16 * 8 + 5, Integer.parseInt(second.group(1))); // local0.notice
    assertEquals("node.stopped", second.group(6));
    assertEquals("\uFEFFnode n1 is stopping", second.group(8));
  }

  /** Reads one RFC 6587 octet-counted frame: MSG-LEN SP SYSLOG-MSG. */
  private static String frame(InputStream in) throws IOException {
    StringBuilder length = new StringBuilder();
    int c;
    while ((c = in.read()) != ' ') {
      if (c < '0' || c > '9') {
        throw new IOException("bad frame length character " + c);
      }
      length.append((char) c);
    }
    byte[] message = in.readNBytes(Integer.parseInt(length.toString()));
    return new String(message, StandardCharsets.UTF_8);
  }

  private static Activity activity(String id, ActivityType type, Severity severity,
      String integration, String message) {
    return new Activity(id, Instant.parse("2026-11-25T07:30:00.123Z"), "c1", "n1", type, severity,
        integration, "", "", message, Map.of());
  }
}
