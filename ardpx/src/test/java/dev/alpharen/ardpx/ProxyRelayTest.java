package dev.alpharen.ardpx;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ARDPX's own relay for bodiless requests, against a node that answers in every framing HTTP/1.1
 * allows and in some it does not: each answer reaches the client whole and correctly framed, the
 * node's connection is reused only when that is safe, and what cannot be read gets 502.
 */
class ProxyRelayTest {
  private static final String DATE = "Tue, 08 Dec 2026 03:10:31 GMT";
  private static final String BULKY = "bulky answer ".repeat(900); // 11 700 bytes, whole
  private static final String BIG = "0123456789abcdef".repeat(20_000); // 320 000 bytes

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private RawNode node;
  private ProxyServer proxy;

  @BeforeEach
  void start() throws IOException {
    node = new RawNode(ProxyRelayTest::answer);
    List<dev.alpharen.arclst.MemberInfo> members = List.of(Backend.memberAt("n1", node.port()));
    proxy = ProxyServer.start(new ProxySettings("127.0.0.1", 0, ProxyTls.off(),
        new ProxyLimits(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(5),
            8192, 1024), 2, false), Backend.inOrder(members), Backend.clusterOf(members), meters);
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    node.close();
  }

  private static String answer(String requestLine) {
    String path = requestLine.split(" ")[1];
    return switch (path) {
      case "/chunked" -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
          + "Content-Type: text/plain\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nX-Sum: 9\r\n\r\n";
      case "/big" -> "HTTP/1.1 200 OK\r\nContent-Length: " + BIG.length() + "\r\n\r\n" + BIG;
      case "/big-chunked" -> {
        StringBuilder s = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int at = 0; at < BIG.length(); at += 1000) {
          s.append("3e8\r\n").append(BIG, at, at + 1000).append("\r\n");
        }
        yield s.append("0\r\n\r\n").toString();
      }
      case "/unframed" -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end"
          + RawNode.CLOSE;
      case "/head" -> "HTTP/1.1 200 OK\r\nContent-Length: 42\r\nX-Head: yes\r\n\r\n";
      case "/no-content" -> "HTTP/1.1 204 No Content\r\nX-Empty: yes\r\n\r\n";
      case "/continue" -> "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
          + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      case "/fat-head" -> "HTTP/1.1 200 OK\r\nX-Fat: " + "f".repeat(30_000)
          + "\r\nContent-Length: 3\r\n\r\nfat";
      case "/huge-head" -> "HTTP/1.1 200 OK\r\nX-Huge: " + "h".repeat(70_000) + "\r\n\r\n";
      case "/garbage" -> "SSH-2.0-OpenSSH_9.2\r\n\r\n";
      case "/close" -> "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
          + RawNode.CLOSE;
      case "/as-is" -> "HTTP/1.1 201 Made Here\r\nConnection: keep-alive\r\n"
          + "Keep-Alive: timeout=60\r\nX-Node: n1\r\nDate: " + DATE + "\r\n"
          + "Content-Length: 4\r\n\r\nmade";
      case "/bulky-as-is" -> "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nDate: " + DATE
          + "\r\nContent-Length: " + BULKY.length() + "\r\n\r\n" + BULKY;
      case "/truncated" -> "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf." + RawNode.CLOSE;
      default -> "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nX-Path: " + path + "\r\n\r\nsame";
    };
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private double broken() {
    var counter = meters.find("ardpx.errors").tag("backend", "n1").tag("reason", "broken")
        .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aChunkedAnswerArrivesWholeWithoutItsFraming() throws Exception {
    HttpResponse<String> r = get("/chunked");
    assertEquals(200, r.statusCode());
    assertEquals("hello world", r.body());
    assertEquals("text/plain", r.headers().firstValue("Content-Type").orElse(null));
  }

  @Test
  void aLargeAnswerIsStreamedIntact() throws Exception {
    HttpResponse<String> r = get("/big");
    assertEquals(200, r.statusCode());
    assertEquals(BIG, r.body());
    assertEquals(String.valueOf(BIG.length()), r.headers().firstValue("Content-Length")
        .orElse(null), "a Content-Length answer keeps its length");
    HttpResponse<String> chunked = get("/big-chunked");
    assertEquals(BIG, chunked.body());
    assertEquals(1, node.accepted.get(), "both went over one kept-alive node connection");
  }

  @Test
  void anUnframedAnswerEndsWithItsConnection() throws Exception {
    HttpResponse<String> r = get("/unframed");
    assertEquals(200, r.statusCode());
    assertEquals("until the end", r.body());
    assertEquals("same", get("/next").body());
    assertEquals(2, node.accepted.get(), "the closed connection was not reused");
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheirOrder() throws Exception {
    String raw = Backend.send(proxy.port(), "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /two HTTP/1.1\r\nHost: x\r\n\r\nGET /three HTTP/1.1\r\nHost: x\r\n\r\n");
    String lower = raw.toLowerCase(Locale.ROOT);
    int one = lower.indexOf("x-path: /one\r\n");
    int two = lower.indexOf("x-path: /two\r\n");
    int three = lower.indexOf("x-path: /three\r\n");
    assertTrue(one > 0 && two > one && three > two, "three answers in order: " + raw);
  }

  @Test
  void aHeadAnswerKeepsItsLengthAndHasNoBody() throws Exception {
    String raw = Backend.send(proxy.port(), "HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
    String lower = raw.toLowerCase(Locale.ROOT);
    assertTrue(lower.contains("\r\ncontent-length: 42\r\n"), raw);
    assertTrue(lower.contains("\r\nx-head: yes\r\n"), raw);
    assertTrue(raw.endsWith("\r\n\r\n"), "no body after the head: " + raw);
  }

  @Test
  void noContentAndInterimAnswers() throws Exception {
    HttpResponse<String> empty = get("/no-content");
    assertEquals(204, empty.statusCode());
    assertEquals("yes", empty.headers().firstValue("X-Empty").orElse(null));
    HttpResponse<String> after = get("/continue");
    assertEquals(200, after.statusCode());
    assertEquals("ok", after.body());
    assertTrue(after.headers().firstValue("X-Interim").isEmpty(), "the interim answer's headers"
        + " are not the final one's");
  }

  @Test
  void headersLargerThanABufferPassUpToTheirLimit() throws Exception {
    HttpResponse<String> fat = get("/fat-head");
    assertEquals(200, fat.statusCode());
    assertEquals("fat", fat.body());
    assertEquals(30_000, fat.headers().firstValue("X-Fat").orElse("").length());
    HttpResponse<String> huge = get("/huge-head");
    assertEquals(502, huge.statusCode());
    assertTrue(huge.body().contains("over 65536 bytes"), huge.body());
  }

  @Test
  void whatIsNotHttpGets502() throws Exception {
    HttpResponse<String> r = get("/garbage");
    assertEquals(502, r.statusCode());
    assertTrue(r.body().contains("status line"), r.body());
    assertEquals("same", get("/next").body(), "the node's next answer is read on a fresh"
        + " connection");
  }

  @Test
  void aNodeThatClosesAfterAnAnswerGetsANewConnection() throws Exception {
    assertEquals("ok", get("/close").body());
    assertEquals("same", get("/next").body());
    assertEquals("same", get("/again").body());
    assertEquals(2, node.accepted.get());
    assertEquals(0, broken());
  }

  @Test
  void aWholeAnswerGoesOutAsTheNodeWroteItLessItsHopByHopHeaders() throws Exception {
    String made = "HTTP/1.1 201 Made Here\r\nX-Node: n1\r\nDate: " + DATE + "\r\n"
        + "Content-Length: 4\r\nConnection: keep-alive\r\n\r\nmade";
    String raw = Backend.send(proxy.port(), "GET /as-is HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /as-is HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /as-is HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertTrue(raw.startsWith(made + made), "two answers as the node wrote them: " + raw);
    String last = raw.substring(2 * made.length());
    assertTrue(last.startsWith("HTTP/1.1 201 "), last);
    String lower = last.toLowerCase(Locale.ROOT);
    assertTrue(lower.contains("\r\nconnection: close\r\n"), "a closing client is told: " + last);
    assertTrue(last.endsWith("\r\n\r\nmade") && !lower.contains("keep-alive"), last);
    // counted once the exchange ends, which may be a moment after the closing client has it all
    await("each answer was counted").atMost(Duration.ofSeconds(5))
        .until(() -> answered() == 3);
  }

  @Test
  void aClientThatReadsLateStillGetsEveryWholeAnswerWhole() throws Exception {
    int requests = 600; // 7 MB of answers, more than the sockets buffer (4 MB at most) unread
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /bulky-as-is HTTP/1.1\r\nHost: x\r\n\r\n")
          .repeat(requests).getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput();
      // Nothing is read until the proxy's writes stall: then an answer waits half-written.
      long[] last = {-1};
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
        long now = answered();
        boolean still = now == last[0];
        last[0] = now;
        return still;
      });
      assertTrue(last[0] > 0 && last[0] < requests, "the proxy stalled on the unread answers, "
          + "after " + last[0]);
      String raw = new String(socket.getInputStream().readAllBytes(),
          StandardCharsets.ISO_8859_1);
      String answer = "HTTP/1.1 200 OK\r\nDate: " + DATE + "\r\nContent-Length: "
          + BULKY.length() + "\r\nConnection: keep-alive\r\n\r\n" + BULKY;
      assertEquals(answer.repeat(requests), raw);
    }
    assertEquals(requests, answered());
  }

  private long answered() {
    var timer = meters.find("ardpx.requests").tag("backend", "n1").timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void anAnswerThatBreaksOffClosesTheClientsConnection() throws Exception {
    String raw = Backend.send(proxy.port(), "GET /truncated HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
    assertTrue(raw.toLowerCase(Locale.ROOT).contains("content-length: 10"), raw);
    assertTrue(raw.endsWith("\r\n\r\nhalf."), "five of ten bytes, then the end: " + raw);
    assertEquals(1, broken());
  }
}
