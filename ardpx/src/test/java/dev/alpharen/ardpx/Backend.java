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

/**
 * A real Undertow node for the proxy tests, on loopback, that remembers the last request's
 * headers and body: {@code /slow} is held until {@link #close()}, {@code /fail} answers 500,
 * anything else 200 "backend". Also the one-node picker and cluster view the proxy needs.
 */
final class Backend implements AutoCloseable {
  private final CountDownLatch release = new CountDownLatch(1);
  private final Undertow undertow;
  private final MemberInfo member;
  volatile HeaderMap lastHeaders = new HeaderMap();
  volatile String lastBody = "";

  Backend(String id) {
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(new BlockingHandler(exchange -> {
          if (exchange.getRequestPath().equals("/slow")) {
            release.await(10, TimeUnit.SECONDS);
          }
          lastHeaders = exchange.getRequestHeaders();
          lastBody = new String(exchange.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          if (exchange.getRequestPath().equals("/fail")) {
            exchange.setStatusCode(500);
          }
          exchange.getResponseSender().send("backend");
        })).build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    member = new MemberInfo("127.0.0.1:1", false, new NodeDescriptor(id, "lan",
        List.of("arsrv"), "127.0.0.1", new NodePorts(port, 0, 0, 0), "1", Instant.EPOCH,
        NodeStatus.ACTIVE));
  }

  NodePicker picker() {
    return new NodePicker() {
      @Override
      public List<MemberInfo> candidates() {
        return List.of(member);
      }

      @Override
      public Call begin(String nodeId) {
        return latency -> { };
      }

      @Override
      public void observe(String nodeId, Duration latency) { }
    };
  }

  ClusterView cluster() {
    return () -> new ClusterSnapshot("c", member.id(), List.of(member));
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
