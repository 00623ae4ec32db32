package dev.alpharen.ardpx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A node on a plain loopback socket, for what Undertow would not stage. It answers each request
 * on keep-alive connections with the raw bytes its script gives for the request line, exactly as
 * written (chunked in odd pieces, unframed, malformed); an answer ending with {@link #CLOSE}
 * closes the connection after it. The default script answers 200 {@code raw}. After
 * {@link #breakConnections()} it reads each request whole and drops the connection with a reset
 * instead, as a node killed mid-request would. Counts connections accepted, requests answered
 * and dropped. Thread-safe.
 */
final class RawNode implements AutoCloseable {
  /** Appended to an answer: close the connection once it is written. */
  static final String CLOSE = "\u0000close";

  private final ServerSocket server;
  private final Function<String, String> script;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean dropping;
  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger served = new AtomicInteger();
  final AtomicInteger dropped = new AtomicInteger();

  RawNode() throws IOException {
    this(requestLine -> "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\n"
        + "raw");
  }

  RawNode(Function<String, String> script) throws IOException {
    this.script = script;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "raw-node-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** From now on every request is read and then met with a closed connection. */
  void breakConnections() {
    dropping = true;
  }

  /** A loopback port that refuses connections (nothing listens on it any more). */
  static int refusingPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        open.add(socket);
        Thread t = new Thread(() -> serve(socket), "raw-node-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String requestLine;
      while ((requestLine = readRequest(in)) != null) {
        if (dropping) {
          dropped.incrementAndGet();
          socket.setSoLinger(true, 0); // a reset, as from a killed process
          return;
        }
        served.incrementAndGet();
        String answer = script.apply(requestLine);
        boolean close = answer.endsWith(CLOSE);
        if (close) {
          answer = answer.substring(0, answer.length() - CLOSE.length());
        }
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (close) {
          return;
        }
      }
    } catch (IOException e) {
      // the connection broke
    } finally {
      open.remove(socket);
    }
  }

  /** Reads one request with its Content-Length body; its request line, or null at the end. */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    long length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      }
    }
    in.readNBytes((int) length);
    return text.substring(0, text.indexOf("\r\n"));
  }
}
