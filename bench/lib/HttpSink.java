import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The "HTTP out" of bench/pipeline.sh: takes every POST on loopback with 200 and counts it;
 * {@code GET /count} answers the count. Usage: {@code java HttpSink.java PORT}.
 */
public final class HttpSink {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    AtomicLong received = new AtomicLong();
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body;
      if ("GET".equals(exchange.getRequestMethod())) {
        body = Long.toString(received.get()).getBytes(StandardCharsets.US_ASCII);
      } else {
        received.incrementAndGet();
        body = new byte[0];
      }
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    System.out.println("sink listening on 127.0.0.1:" + port);
  }
}
