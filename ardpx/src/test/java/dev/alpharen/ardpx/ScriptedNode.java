package dev.alpharen.ardpx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A node on loopback that answers each request with the raw bytes a script gives for its
 * request line, exactly as written: for the answers a real Undertow node never sends (chunked
 * in odd pieces, unframed, malformed). A script answer ending with {@link #CLOSE} closes the
 * connection after it. Counts the connections it accepted and those the proxy closed.
 */
final class ScriptedNode implements AutoCloseable {
  /** Appended to an answer: close the connection once it is written. */
  static final String CLOSE = "\u0000close";

  private final ServerSocket server;
  private final Function<String, String> script;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger closedByProxy = new AtomicInteger();

  ScriptedNode(Function<String, String> script) throws IOException {
    this.script = script;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "scripted-node");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
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
        Thread t = new Thread(() -> serve(socket), "scripted-node-conn");
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
      while ((requestLine = readHead(in)) != null) {
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
      closedByProxy.incrementAndGet();
    } catch (IOException e) {
      // the connection broke; nothing to count
    } finally {
      open.remove(socket);
    }
  }

  /** Reads one bodiless request's head and returns its first line; null at the end. */
  private static String readHead(InputStream in) throws IOException {
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
    return text.substring(0, text.indexOf("\r\n"));
  }
}
