package dev.alpharen.ardpx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.ardpx.internal.OutlierEjector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ARDPX in front of real loopback nodes that fail: refused connections, connections that break
 * after the request went out, and a streak of 5xx. Which requests are tried on the next node, and
 * which nodes are ejected.
 */
class ProxyFailoverTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> open = new ArrayList<>();
  private ProxyServer proxy;

  @AfterEach
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void aRequestWhoseNodeRefusesTheConnectionIsServedByTheNextWhateverTheMethod()
      throws Exception {
    Backend good = backend("good");
    start(List.of(Backend.memberAt("dead", RawNode.refusingPort()), good.member()), 5);
    String post = send("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    assertTrue(post.startsWith("HTTP/1.1 200") && post.endsWith("good"), post);
    assertEquals("hello", good.lastBody);
    String get = send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(get.startsWith("HTTP/1.1 200") && get.endsWith("good"), get);
    assertEquals(1.0, meters.get("ardpx.errors").tag("backend", "dead").tag("reason", "connect")
        .counter().count(), "ejected after the first refusal, so tried once");
  }

  @Test
  void aBrokenConnectionIsRetriedOnlyForIdempotentRequestsWithoutBody() throws Exception {
    RawNode broken = rawNode();
    broken.breakConnections();
    Backend good = backend("good");
    start(List.of(Backend.memberAt("broken", broken.port()), good.member()), 100);

    String get = send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(get.startsWith("HTTP/1.1 200") && get.endsWith("good"), get);
    String delete = send("DELETE /a HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(delete.startsWith("HTTP/1.1 200") && delete.endsWith("good"), delete);
    assertEquals(2, good.hits.get());

    String post = send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    assertTrue(post.startsWith("HTTP/1.1 503"), "a POST the node may have acted on: " + post);
    String emptyPost = send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    assertTrue(emptyPost.startsWith("HTTP/1.1 503"), emptyPost);
    String put = send("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    assertTrue(put.startsWith("HTTP/1.1 503"), "a PUT with a body: " + put);
    assertEquals(2, good.hits.get(), "none of them was sent to a second node");
    assertEquals(5, broken.dropped.get());
  }

  @Test
  void aStreakOfServerErrorsEjectsTheNodeForTheBackoff() throws Exception {
    Backend bad = backend("bad");
    bad.failAll = true;
    Backend good = backend("good");
    start(List.of(bad.member(), good.member()), 5);
    for (int i = 0; i < 5; i++) {
      String answer = send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 500"), "a node's own 5xx is its answer: " + answer);
    }
    for (int i = 0; i < 5; i++) {
      String answer = send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("good"), answer);
    }
    assertEquals(5, bad.hits.get(), "ejected after 5 in a row");
  }

  @Test
  void aPooledConnectionThatBreaksCountsAgainstItsNode() throws Exception {
    RawNode node = rawNode();
    Backend good = backend("good");
    start(List.of(Backend.memberAt("raw", node.port()), good.member()), 1);
    // One client connection, so one I/O thread and one pooled connection to the node.
    try (Socket client = new Socket("127.0.0.1", proxy.port())) {
      client.setSoTimeout(5000);
      assertTrue(exchange(client, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n").endsWith("raw"));
      assertTrue(exchange(client, "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n").endsWith("raw"));
      assertEquals(1, node.accepted.get(), "the second request reused the pooled connection");

      node.breakConnections(); // as if killed while its connection sat in the pool
      String retried = exchange(client, "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(retried.startsWith("HTTP/1.1 200") && retried.endsWith("good"), retried);
      assertEquals(1, node.dropped.get());
      assertEquals(1, node.accepted.get(), "the failure was on the pooled connection");
      assertEquals(1.0, meters.get("ardpx.errors").tag("backend", "raw").tag("reason", "broken")
          .counter().count());

      String next = exchange(client, "GET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(next.endsWith("good"), next);
      assertEquals(1, node.dropped.get(), "ejected: not tried again within the backoff");
    }
  }

  private void start(List<MemberInfo> order, int streakLimit) throws IOException {
    proxy = ProxyServer.start(new ProxySettings("127.0.0.1", 0, ProxyTls.off(),
        ProxyLimits.defaults(), 2, false), Backend.inOrder(order), Backend.clusterOf(order),
        meters, new OutlierEjector(streakLimit, Duration.ofMinutes(1), Duration.ofMinutes(1)));
  }

  private Backend backend(String id) {
    Backend b = new Backend(id);
    open.add(b);
    return b;
  }

  private RawNode rawNode() throws IOException {
    RawNode n = new RawNode();
    open.add(n);
    return n;
  }

  private String send(String request) throws IOException {
    return Backend.send(proxy.port(), request);
  }

  /** Sends one request on an open connection and reads one answer with a Content-Length. */
  private static String exchange(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the proxy closed the connection after: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }
}
