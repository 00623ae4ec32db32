package dev.alpharen.arsrv.activity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Posts activities to an HTTP endpoint as {@code {"activities": [...]}} (JSON, one POST per batch);
 * any 2xx answer delivers the batch, anything else or no answer fails it and the forwarder retries
 * it with backoff. Thread-safe.
 */
public final class WebhookSink implements ActivitySink {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final URI url;
  private final Duration timeout;
  private final HttpClient client;

  public WebhookSink(URI url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public void send(List<Activity> batch) throws IOException {
    String body = JSON.writeValueAsString(Map.of("activities",
        batch.stream().map(Activity::toMap).toList()));
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("webhook " + url + ": interrupted", e);
    } catch (IOException e) {
      throw new IOException("webhook " + url + ": " + e, e);
    }
    if (response.statusCode() / 100 != 2) {
      String text = response.body();
      throw new IOException("webhook " + url + " answered " + response.statusCode()
          + (text.isBlank() ? "" : ": " + text.substring(0, Math.min(200, text.length()))));
    }
  }
}
