package dev.alpharen.ardpx;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.alpharen.arclst.ClusterSnapshot;
import dev.alpharen.arhav.NodePicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** ARDPX over real sockets in front of a real Undertow backend: forwarding, limits, timeouts. */
class ProxyServerTest {
  private final Backend backend = new Backend("b1");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();
  private ProxyServer proxy;

  @BeforeEach
  void start() throws IOException {
    accessLog.start();
    ((Logger) LoggerFactory.getLogger("alpharen.access")).addAppender(accessLog);
    proxy = ProxyServer.start(new ProxySettings("127.0.0.1", 0, ProxyTls.off(),
        new ProxyLimits(Duration.ofMillis(1500), Duration.ofMillis(400), Duration.ofSeconds(5),
            2048, 1024), 2, true), backend.picker(), backend.cluster(), meters);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger("alpharen.access")).detachAppender(accessLog);
    proxy.close();
    backend.close();
  }

  @Test
  void forwardsToTheChosenNodeWithForwardedHeaders() throws IOException {
    String response = send("GET /hello HTTP/1.1\r\nHost: example.test:8000\r\n"
        + "Forwarded: for=6.6.6.6\r\nX-Forwarded-Host: evil\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertTrue(response.endsWith("backend"), response);
    assertEquals("127.0.0.1", backend.header("X-Forwarded-For"));
    assertEquals("http", backend.header("X-Forwarded-Proto"));
    assertEquals("example.test", backend.header("X-Forwarded-Host"));
    assertEquals("for=127.0.0.1;host=\"example.test:8000\";proto=http",
        backend.header("Forwarded"));
    assertEquals(List.of("for=127.0.0.1;host=\"example.test:8000\";proto=http"),
        List.copyOf(backend.lastHeaders.get("Forwarded")));
  }

  @Test
  void stripsHopByHopHeadersBeforeTheNode() throws IOException {
    String response = send("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Secret\r\n"
        + "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\n"
        + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nTrailer: X-Checksum\r\n"
        + "Upgrade: websocket\r\nX-Secret: hop\r\nX-Kept: end-to-end\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    for (String hop : List.of("Keep-Alive", "Proxy-Authorization", "Proxy-Connection", "TE",
        "Trailer", "Upgrade", "X-Secret", "Transfer-Encoding")) {
      assertNull(backend.header(hop), hop + " reached the node");
    }
    assertTrue(backend.header("Connection") == null
        || backend.header("Connection").equalsIgnoreCase("keep-alive"),
        "the client's Connection header reached the node: " + backend.header("Connection"));
    assertEquals("end-to-end", backend.header("X-Kept"));
  }

  @Test
  void stripsTheNodesHopByHopHeadersBeforeTheClient() throws IOException {
    String response = send("GET /hop HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
    for (String hop : List.of("x-hop-secret", "keep-alive", "proxy-authenticate",
        "proxy-connection", "te", "trailer", "upgrade")) {
      assertTrue(!head.contains("\r\n" + hop + ":"), hop + " reached the client: " + response);
    }
    assertTrue(!head.contains("x-hop-secret"), "the node's Connection header reached the client: "
        + response);
    assertTrue(head.contains("\r\nx-end: end-to-end"), response);
  }

  @Test
  void anOversizeChunkedBodyGets413() throws IOException {
    StringBuilder request = new StringBuilder("POST /echo HTTP/1.1\r\nHost: x\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 5; i++) {
      request.append("190\r\n").append("c".repeat(400)).append("\r\n"); // 2000 bytes in all
    }
    String response = send(request.append("0\r\n\r\n").toString());
    assertTrue(response.startsWith("HTTP/1.1 413"), response);
    assertTrue(response.contains("at most 1024 are allowed"), response);
  }

  @Test
  void aChunkedBodyWithinTheLimitPasses() throws IOException {
    String response = send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        + "\r\n400\r\n" + "d".repeat(1024) + "\r\n0\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertEquals(1024, backend.lastBody.length());
  }

  @Test
  void differingContentLengthsGet400() throws IOException {
    String response = send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        + "Content-Length: 6\r\n\r\nhello!");
    assertTrue(response.startsWith("HTTP/1.1 400"), response);
  }

  @Test
  void reframesAChunkedBodyForTheNode() throws IOException {
    String response = send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertEquals("hello world", backend.lastBody);
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
  void aNodeOverTheRequestTimeoutGets504() throws IOException {
    String response = send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 504"), response);
  }

  @Test
  void aClientTooSlowWithItsBodyGets408() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
      socket.setSoTimeout(5000);
      // Half the body, then nothing: the client timeout (400 ms) passes long before the
      // request timeout (1500 ms), and the answer must say which side was slow.
      socket.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
          + "\r\nhalf").getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(response.startsWith("HTTP/1.1 408"), response);
      assertTrue(response.contains("proxy.clientTimeout"), response);
    }
  }

  @Test
  void noHealthyNodeGets503() throws IOException {
    proxy.close();
    NodePicker none = new NodePicker() {
      @Override
      public List<dev.alpharen.arclst.MemberInfo> candidates() {
        return List.of();
      }

      @Override
      public Call begin(String nodeId) {
        return latency -> { };
      }

      @Override
      public void observe(String nodeId, Duration latency) { }
    };
    proxy = ProxyServer.start(new ProxySettings("127.0.0.1", 0, ProxyTls.off(),
        ProxyLimits.defaults(), 2, false), none, () -> new ClusterSnapshot("c", "x", List.of()),
        meters);
    String response = send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 503"), response);
  }

  @Test
  void logsOneAccessLineForEachRequest() throws IOException {
    send("GET /hello?a=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    send("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> accessLog.list.size() >= 2);
    assertEquals(2, accessLog.list.size(), accessLog.list.toString());
    String line = accessLog.list.get(0).getFormattedMessage();
    assertTrue(line.matches("127\\.0\\.0\\.1 \"GET /hello\\?a=1 HTTP/1\\.1\" 200 7 \\d+\\.\\dms"
        + " backend=b1"), line);
    assertTrue(accessLog.list.get(1).getFormattedMessage().contains("\"GET /fail HTTP/1.1\" 500"),
        accessLog.list.get(1).getFormattedMessage());
  }

  @Test
  void countsRequestsErrorsAndLatencyPerBackend() throws IOException {
    send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    send("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n");
    send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(3000) + "\r\n\r\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("ardpx.requests")
        .timers().stream().mapToLong(t -> t.count()).sum() >= 3);
    assertEquals(2, meters.get("ardpx.requests").tag("backend", "b1").timer().count());
    assertTrue(meters.get("ardpx.requests").tag("backend", "b1").timer()
        .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
    assertEquals(1, meters.get("ardpx.requests").tag("backend", "none").timer().count());
    assertEquals(1.0, meters.get("ardpx.errors").tag("backend", "b1").tag("reason", "5xx")
        .counter().count());
  }

  private String send(String request) throws IOException {
    return Backend.send(proxy.port(), request);
  }
}
