package dev.alpharen.ardpx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.ClusterSnapshot;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeDescriptor;
import dev.alpharen.arclst.NodePorts;
import dev.alpharen.arclst.NodeStatus;
import dev.alpharen.arhav.NodePicker;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ARDPX over real sockets in front of a real Undertow backend: forwarding, limits, timeout. */
class ProxyServerTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<MemberInfo> candidates = new ArrayList<>();
  private Undertow backend;
  private ProxyServer proxy;
  private volatile String forwardedFor = "";

  @BeforeEach
  void start() throws IOException {
    backend = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new BlockingHandler(exchange -> {
          if (exchange.getRequestPath().equals("/slow")) {
            release.await(10, TimeUnit.SECONDS); // held until the test ends
          }
          forwardedFor = String.valueOf(exchange.getRequestHeaders().getFirst("X-Forwarded-For"));
          exchange.getResponseSender().send("backend");
        })).build();
    backend.start();
    int port = ((InetSocketAddress) backend.getListenerInfo().get(0).getAddress()).getPort();
    candidates.add(new MemberInfo("127.0.0.1:1", false, new NodeDescriptor("b1", "lan",
        List.of("arsrv"), "127.0.0.1", new NodePorts(port, 0, 0, 0), "1", Instant.EPOCH,
        NodeStatus.ACTIVE)));
    NodePicker picker = new NodePicker() {
      @Override
      public List<MemberInfo> candidates() {
        return List.copyOf(candidates);
      }

      @Override
      public Call begin(String nodeId) {
        return latency -> { };
      }

      @Override
      public void observe(String nodeId, Duration latency) { }
    };
    proxy = ProxyServer.start(new ProxySettings("127.0.0.1", 0, Duration.ofMillis(500), 2, 2048,
        1024), picker, () -> new ClusterSnapshot("c", "b1", candidates));
  }

  @AfterEach
  void stop() {
    release.countDown();
    proxy.close();
    backend.stop();
  }

  @Test
  void forwardsToTheChosenNodeWithForwardedHeaders() throws IOException {
    String response = send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertTrue(response.endsWith("backend"), response);
    assertEquals("127.0.0.1", forwardedFor);
  }

  @Test
  void oversizeHeadersGet431() throws IOException {
    String response = send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(3000)
        + "\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 431"), response);
    assertTrue(response.contains("at most 2048 are allowed"), response);
  }

  @Test
  void oversizeBodyGets413() throws IOException {
    String response = send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
        + "b".repeat(5000));
    assertTrue(response.startsWith("HTTP/1.1 413"), response);
  }

  @Test
  void contentLengthWithTransferEncodingGets400() throws IOException {
    String response = send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 400"), response);
  }

  @Test
  void aRequestOverTheTimeoutGets504() throws IOException {
    String response = send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 504"), response);
  }

  @Test
  void noHealthyNodeGets503() throws IOException {
    candidates.clear();
    String response = send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 503"), response);
  }

  private String send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
