package dev.alpharen.ardpx;

import dev.alpharen.arclst.ClusterSnapshot;
import dev.alpharen.arclst.ClusterView;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeDescriptor;
import dev.alpharen.arclst.NodePorts;
import dev.alpharen.arclst.NodeStatus;
import dev.alpharen.arhav.NodePicker;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Undertow node for the proxy tests, on loopback, that remembers the last request's
 * headers and body and counts the requests it got: {@code /slow} is held until {@link #close()},
 * {@code /fail} answers 500 (every path does once {@link #failAll} is set), {@code /hop} answers
 * with hop-by-hop headers of its own, anything else 200 with the node's id. Also the one-node
 * picker and cluster view the proxy needs.
 */
final class Backend implements AutoCloseable {
  private final CountDownLatch release = new CountDownLatch(1);
  private final Undertow undertow;
  private final MemberInfo member;
  private final String id;
  volatile HeaderMap lastHeaders = new HeaderMap();
  volatile String lastBody = "";
  volatile boolean failAll;
  final AtomicInteger hits = new AtomicInteger();

  Backend(String id) {
    this.id = id;
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new BlockingHandler(exchange -> {
          if (exchange.getRequestPath().equals("/slow")) {
            release.await(10, TimeUnit.SECONDS);
          }
          hits.incrementAndGet();
          lastHeaders = exchange.getRequestHeaders();
          lastBody = new String(exchange.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          if (failAll || exchange.getRequestPath().equals("/fail")) {
            exchange.setStatusCode(500);
          }
          if (exchange.getRequestPath().equals("/hop")) {
            HeaderMap out = exchange.getResponseHeaders();
            out.put(new HttpString("Connection"), "X-Hop-Secret");
            out.put(new HttpString("X-Hop-Secret"), "hop");
            out.put(new HttpString("Keep-Alive"), "timeout=5");
            out.put(new HttpString("Proxy-Authenticate"), "Basic realm=\"node\"");
            out.put(new HttpString("Proxy-Connection"), "keep-alive");
            out.put(new HttpString("TE"), "trailers");
            out.put(new HttpString("Trailer"), "X-Checksum");
            out.put(new HttpString("Upgrade"), "websocket");
            out.put(new HttpString("X-End"), "end-to-end");
          }
          exchange.getResponseSender().send(id.equals("b1") ? "backend" : id);
        })).build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    member = memberAt(id, port);
  }

  MemberInfo member() {
    return member;
  }

  /** An ACTIVE node {@code id} whose HTTP server is on 127.0.0.1:{@code port}. */
  static MemberInfo memberAt(String id, int port) {
    return new MemberInfo("127.0.0.1:1", false, new NodeDescriptor(id, "lan",
        List.of("arsrv"), "127.0.0.1", new NodePorts(port, 0, 0, 0), "1", Instant.EPOCH,
        NodeStatus.ACTIVE));
  }

  /** A picker that always offers {@code members} in this order. */
  static NodePicker inOrder(List<MemberInfo> members) {
    return new NodePicker() {
      @Override
      public List<MemberInfo> candidates() {
        return members;
      }

      @Override
      public Call begin(String nodeId) {
        return latency -> { };
      }

      @Override
      public void observe(String nodeId, Duration latency) { }
    };
  }

  NodePicker picker() {
    return inOrder(List.of(member));
  }

  ClusterView cluster() {
    return clusterOf(List.of(member));
  }

  static ClusterView clusterOf(List<MemberInfo> members) {
    return () -> new ClusterSnapshot("c", members.get(0).id(), members);
  }

  String header(String name) {
    return lastHeaders.getFirst(name);
  }

  @Override
  public void close() {
    release.countDown();
    undertow.stop();
  }

  /** Sends raw bytes, half-closes, and reads the whole answer. */
  static String send(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
