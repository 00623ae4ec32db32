package dev.alpharen.arsrv.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The integration router on a real Undertow server over loopback. */
class HttpRouterTest {
  private final HttpRouter router = new HttpRouter();
  private final HttpClient client = HttpClient.newHttpClient();
  private Undertow server;
  private String base;

  @BeforeEach
  void start() {
    server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(router).build();
    server.start();
    InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    base = "http://127.0.0.1:" + address.getPort();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private static HttpRouter.Binding answering(String path, boolean prefix, Set<String> methods,
      String body) {
    return new HttpRouter.Binding(path, prefix, methods, "test " + body,
        e -> e.getResponseSender().send(body));
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesExactPathsBeforePrefixesAndAnswersJsonOtherwise() throws Exception {
    router.bind(answering("/orders", true, Set.of(), "prefix"));
    router.bind(answering("/orders/new", false, Set.of("GET"), "exact"));

    assertEquals("exact", get("/orders/new").body());
    assertEquals("prefix", get("/orders/42").body());
    assertEquals("prefix", get("/orders").body());
    HttpResponse<String> missing = get("/ordersx");
    assertEquals(404, missing.statusCode());
    assertEquals("{\"error\":\"no such resource: /ordersx\"}", missing.body());
    HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base
        + "/orders/new")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("prefix", post.body(), "the prefix binding takes any method");
  }

  @Test
  void refusesASecondBindingOfTheSamePathAndMethod() {
    router.bind(answering("/a", false, Set.of("GET"), "one"));
    router.bind(answering("/a", false, Set.of("POST"), "two"));

    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> router.bind(answering("/a", false, Set.of(), "three")));
    assertEquals("platform-http path '/a' is already served by test one", e.getMessage());
  }

  @Test
  void requestDuringASwapWaitsForTheNextVersion() throws Exception {
    HttpRouter.Binding v1 = answering("/swap", false, Set.of(), "v1");
    router.bind(v1);
    CountDownLatch unbound = new CountDownLatch(1);
    CountDownLatch requested = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> during = new CompletableFuture<>();

    CompletableFuture<Void> swap = CompletableFuture.runAsync(() -> {
      try {
        router.duringSwap(() -> {
          router.unbind(v1);
          unbound.countDown();
          requested.await(5, TimeUnit.SECONDS);
          await("a request waiting in the router").atMost(Duration.ofSeconds(5))
              .until(() -> router.waiting() == 1);
          router.bind(answering("/swap", false, Set.of(), "v2"));
          return null;
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    unbound.await(5, TimeUnit.SECONDS);
    client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/swap")).build(),
        HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
          if (e != null) {
            during.completeExceptionally(e);
          } else {
            during.complete(r);
          }
        });
    requested.countDown();
    swap.get(10, TimeUnit.SECONDS);

    HttpResponse<String> response = during.get(10, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    assertEquals("v2", response.body());
  }
}
