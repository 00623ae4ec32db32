package dev.alpharen.arsrv.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.testing.TestMembers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A platform-http integration swapped for its next version while requests keep coming, on real
 * Camel, a real Undertow server over loopback and a real Hazelcast member: no request fails and
 * the new version serves within 2 s.
 */
class HttpSwapTest {
  private static final String DOC = "- from:\n    uri: platform-http:/swap\n    steps:\n"
      + "      - setBody: {constant: %s}\n";

  @Test
  void swapsUnderLoadWithNoFailedRequest() throws Exception {
    HttpRouter router = new HttpRouter();
    Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(router)
        .build();
    server.start();
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicLong served = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> workers = new ArrayList<>();
    try (TestMembers members = TestMembers.start(1)) {
      CamelRuntime runtime = new CamelRuntime(members.get(0), "swap", router,
          new SimpleMeterRegistry(), () -> true, DeadLetterSink.logging());
      SpecParser parser = new SpecParser();
      runtime.add(parser.parse("swap", DOC.formatted("v1"), Map.of()));
      int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
      URI uri = URI.create("http://127.0.0.1:" + port + "/swap");
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 8; i++) {
        Thread t = new Thread(() -> {
          while (running.get()) {
            try {
              HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                served.incrementAndGet();
              } else {
                failures.add(r.statusCode() + " " + r.body());
              }
            } catch (IOException | InterruptedException e) {
              failures.add(e.toString());
            }
          }
        }, "swap-load-" + i);
        t.start();
        workers.add(t);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> served.get() > 100);

      for (int version = 2; version <= 12; version++) {
        String next = "v" + version;
        long started = System.nanoTime();
        runtime.swap(() -> {
          runtime.removeIntegration("swap");
          return runtime.add(parser.parse("swap", DOC.formatted(next), Map.of()));
        });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "swap to " + next + " took "
            + took.toMillis() + " ms");
        assertEquals(next, client.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        long before = served.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> served.get() > before + 20);
      }
      running.set(false);
      for (Thread t : workers) {
        t.join(15_000);
      }
      runtime.close();
    } finally {
      running.set(false);
      server.stop();
    }
    assertEquals(List.of(), failures, "failed requests during swaps");
  }
}
