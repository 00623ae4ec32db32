package dev.alpharen.arhav.probe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Sends ARHAV's probes over HTTP to peers' node servers: a direct ping ({@code GET /arhav/ping},
 * 204) timed for its round trip, and an indirect probe that asks another member to ping a target
 * ({@code GET /arhav/probe?target=ID}, 200 with {@code alive} or {@code silent}). Thread-safe.
 */
public final class HttpProber {
  /** Path of the direct ping. */
  public static final String PING = "/arhav/ping";
  /** Path of the indirect probe. */
  public static final String PROBE = "/arhav/probe";

  private final HttpClient client;
  private final Duration timeout;

  public HttpProber(Duration timeout) {
    this.timeout = timeout;
    // The client's own executor: completions must not queue behind the probe scheduler's work,
    // or the queueing would be measured as round-trip time.
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout).build();
  }

  /** Pings a node; completes with the round-trip time, or exceptionally on silence or error. */
  public CompletableFuture<Duration> ping(String baseUrl) {
    long start = System.nanoTime();
    return client.sendAsync(request(baseUrl + PING, timeout), HttpResponse.BodyHandlers.discarding())
        .thenApply(response -> {
          if (response.statusCode() != 204) {
            throw new IllegalStateException("ping of " + baseUrl + " answered "
                + response.statusCode());
          }
          return Duration.ofNanos(System.nanoTime() - start);
        });
  }

  /**
   * Asks the node at {@code viaBaseUrl} to ping {@code targetId}; completes with true if the target
   * answered it, false if it did not or the intermediate could not be asked.
   */
  public CompletableFuture<Boolean> indirect(String viaBaseUrl, String targetId) {
    return client.sendAsync(request(viaBaseUrl + PROBE + "?target=" + targetId,
            timeout.multipliedBy(2)), HttpResponse.BodyHandlers.ofString())
        .handle((response, error) -> error == null && response.statusCode() == 200
            && response.body().trim().equals("alive"));
  }

  private static HttpRequest request(String url, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
  }
}
