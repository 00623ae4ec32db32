package dev.alpharen.arwadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BasicAuthHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Undertow server;
  private URI uri;

  @BeforeEach
  void startServer() {
    server = Undertow.builder()
        .addHttpListener(0, "127.0.0.1")
        .setHandler(new BasicAuthHandler(
            exchange -> exchange.getResponseSender().send("reached next"), "admin", "s3cret-pass"))
        .build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    uri = URI.create("http://127.0.0.1:" + port + "/api/v1/cluster");
  }

  @AfterEach
  void stopServer() {
    server.stop();
  }

  @Test
  void asksForCredentialsWhenNoneAreSent() throws Exception {
    HttpResponse<String> response = get(Optional.empty());

    assertEquals(401, response.statusCode());
    assertEquals(Optional.of("Basic realm=\"ALPHA-REN\", charset=\"UTF-8\""),
        response.headers().firstValue("WWW-Authenticate"));
    assertEquals(Optional.of("application/json"), response.headers().firstValue("Content-Type"));
    JsonNode body = JSON.readTree(response.body());
    assertEquals("authentication required: send HTTP Basic credentials of the admin user",
        body.path("error").asText());
  }

  @Test
  void refusesAWrongPassword() throws Exception {
    HttpResponse<String> response = get(Optional.of(basic("admin:s3cret-pasS")));

    assertEquals(401, response.statusCode());
    assertEquals("authentication required: send HTTP Basic credentials of the admin user",
        JSON.readTree(response.body()).path("error").asText());
  }

  @Test
  void refusesTheRightPasswordForAnotherUser() throws Exception {
    assertEquals(401, get(Optional.of(basic("root:s3cret-pass"))).statusCode());
  }

  @Test
  void refusesAPrefixOfThePassword() throws Exception {
    assertEquals(401, get(Optional.of(basic("admin:s3cret"))).statusCode());
  }

  @Test
  void letsTheAdminUserThroughToNext() throws Exception {
    HttpResponse<String> response = get(Optional.of(basic("admin:s3cret-pass")));

    assertEquals(200, response.statusCode());
    assertEquals("reached next", response.body());
  }

  @Test
  void acceptsTheSchemeNameInAnyCase() throws Exception {
    String credentials = basic("admin:s3cret-pass").substring("Basic ".length());

    assertEquals(200, get(Optional.of("basic " + credentials)).statusCode());
  }

  @Test
  void refusesCredentialsThatAreNotBase64() throws Exception {
    HttpResponse<String> response = get(Optional.of("Basic %%%not-base64%%%"));

    assertEquals(401, response.statusCode());
    assertEquals("authentication required: send HTTP Basic credentials of the admin user",
        JSON.readTree(response.body()).path("error").asText());
  }

  @Test
  void refusesOtherAuthenticationSchemes() throws Exception {
    assertEquals(401, get(Optional.of("Bearer s3cret-pass")).statusCode());
  }

  @Test
  void rejectsAUserNameThatCannotBeSentInBasicCredentials() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BasicAuthHandler(exchange -> { }, "ad:min", "s3cret-pass"));

    assertEquals("user must be non-empty and contain no ':', was 'ad:min'", e.getMessage());
  }

  private HttpResponse<String> get(Optional<String> authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    authorization.ifPresent(value -> request.header("Authorization", value));
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder()
        .encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }
}
