package dev.alpharen.arsrv.activity;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Sends activities to a syslog receiver as RFC 5424 messages, over UDP (one datagram each, RFC
 * 5426, cut to 8192 bytes on a character boundary) or TCP (octet-counting framing, RFC 6587, one connection kept open and opened again after
 * a failure). Facility local0; the severity maps from {@link Severity}; APP-NAME {@code alpha-ren},
 * MSGID the activity type, structured data {@code [alpharen@32473 ...]} with the id, cluster,
 * integration and exchange. Not thread-safe: one forwarder uses it.
 */
public final class SyslogSink implements ActivitySink {
  /** Facility local0, as RFC 5424 numbers it. */
  static final int FACILITY = 16;
  private static final int MAX_UDP = 8192;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

  private final String host;
  private final int port;
  private final boolean tcp;
  private final int timeoutMs;
  private DatagramSocket udp;
  private Socket socket;
  private OutputStream out;

  /** @param protocol {@code udp} or {@code tcp} */
  public SyslogSink(String host, int port, String protocol) {
    this.host = host;
    this.port = port;
    this.tcp = switch (protocol.toLowerCase(Locale.ROOT)) {
      case "tcp" -> true;
      case "udp" -> false;
      default -> throw new IllegalArgumentException("syslog protocol must be udp or tcp, was '"
          + protocol + "'");
    };
    this.timeoutMs = 5000;
  }

  @Override
  public String name() {
    return "syslog";
  }

  @Override
  public void send(List<Activity> batch) throws IOException {
    try {
      for (Activity a : batch) {
        byte[] message = format(a).getBytes(StandardCharsets.UTF_8);
        if (tcp) {
          sendTcp(message);
        } else {
          sendUdp(message);
        }
      }
      if (tcp) {
        out.flush();
      }
    } catch (IOException e) {
      close();
      throw new IOException("syslog " + (tcp ? "tcp" : "udp") + "://" + host + ":" + port + ": "
          + e.getMessage(), e);
    }
  }

  /** The RFC 5424 message of one activity, without framing. */
  static String format(Activity a) {
    StringBuilder m = new StringBuilder(256);
    m.append('<').append(FACILITY * 8 + a.severity().syslogCode()).append(">1 ")
        .append(TIME.format(a.at())).append(' ')
        .append(header(a.node(), 255)).append(' ')
        .append("alpha-ren ")
        .append(ProcessHandle.current().pid()).append(' ')
        .append(header(a.type().label(), 32)).append(' ')
        .append("[alpharen@32473");
    param(m, "id", a.id());
    param(m, "cluster", a.cluster());
    param(m, "integration", a.integration());
    param(m, "exchangeId", a.exchangeId());
    param(m, "correlationId", a.correlationId());
    m.append("] \uFEFF").append(a.message());
    return m.toString();
  }

  private void sendUdp(byte[] message) throws IOException {
    if (udp == null) {
      udp = new DatagramSocket();
    }
    udp.send(new DatagramPacket(message, utf8Prefix(message, MAX_UDP),
        new InetSocketAddress(host, port)));
  }

  /** The length of the longest prefix of UTF-8 {@code bytes} within {@code max} that ends on a
   * character boundary: a datagram cut there is still valid UTF-8 (RFC 5424 §6.4). */
  static int utf8Prefix(byte[] bytes, int max) {
    if (bytes.length <= max) {
      return bytes.length;
    }
    int end = max;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--; // bytes[end] continues a character that began before it: cut before that one
    }
    return end;
  }

  private void sendTcp(byte[] message) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16384);
    }
    out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.write(message);
  }

  /** A header field: printable US-ASCII without spaces, at most {@code max} long, or "-". */
  private static String header(String value, int max) {
    String clean = value.replaceAll("[^\\x21-\\x7e]", "_");
    return clean.isEmpty() ? "-" : clean.substring(0, Math.min(max, clean.length()));
  }

  private static void param(StringBuilder m, String name, String value) {
    if (!value.isEmpty()) {
      m.append(' ').append(name).append("=\"")
          .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]"))
          .append('"');
    }
  }

  @Override
  public void close() {
    if (udp != null) {
      udp.close();
      udp = null;
    }
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // gone already
      }
      socket = null;
      out = null;
    }
  }
}
