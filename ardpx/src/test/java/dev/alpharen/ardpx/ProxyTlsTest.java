package dev.alpharen.ardpx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ARDPX terminating TLS with a certificate made in the test, and its key-material errors. */
class ProxyTlsTest {
  @TempDir
  static Path dir;
  private static TestCertificate rsa;
  private final Backend backend = new Backend("b1");
  private ProxyServer proxy;

  @BeforeAll
  static void makeCertificate() throws Exception {
    rsa = TestCertificate.create(dir, "RSA");
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    backend.close();
  }

  @Test
  void servesHttpsFromAPemPairWithForwardedProtoHttps() throws Exception {
    start(TlsKeys.fromPem(rsa.certificatePem(), rsa.keyPem()), false);
    HttpResponse<String> response = client().send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + proxy.tlsPort() + "/hello")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals("backend", response.body());
    assertEquals("https", backend.header("X-Forwarded-Proto"));
    assertTrue(backend.header("Forwarded").endsWith(";proto=https"),
        backend.header("Forwarded"));
  }

  @Test
  void servesHttpsFromAPkcs12KeyStore() throws Exception {
    start(TlsKeys.fromKeyStore(rsa.keyStore(), rsa.password()), false);
    HttpResponse<String> response = client().send(HttpRequest.newBuilder(
        URI.create("https://localhost:" + proxy.tlsPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
  }

  @Test
  void servesHttpsFromAnEcKey() throws Exception {
    TestCertificate ec = TestCertificate.create(Files.createDirectory(dir.resolve("ec")), "EC");
    start(TlsKeys.fromPem(ec.certificatePem(), ec.keyPem()), false);
    HttpClient client = HttpClient.newBuilder().sslContext(ec.clientContext()).build();
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + proxy.tlsPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
  }

  @Test
  void redirectsPlainHttpToTheSameUrlOverHttps() throws Exception {
    start(TlsKeys.fromKeyStore(rsa.keyStore(), rsa.password()), true);
    String response = Backend.send(proxy.port(),
        "POST /orders?id=7 HTTP/1.1\r\nHost: edge.example:8000\r\nContent-Length: 0\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 308"), response);
    assertTrue(response.contains("Location: https://edge.example:" + proxy.tlsPort()
        + "/orders?id=7\r\n"), response);
    HttpResponse<String> secure = client().send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + proxy.tlsPort() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, secure.statusCode(), "HTTPS itself is proxied, not redirected");
  }

  @Test
  void aWrongKeyStorePasswordIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsKeys.fromKeyStore(rsa.keyStore(), "not-the-password"));
    assertEquals(rsa.keyStore() + ": wrong key store password", e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("missing.p12");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsKeys.fromKeyStore(missing, "x"));
    assertEquals(missing + " does not exist or cannot be read", e.getMessage());
    IllegalArgumentException pem = assertThrows(IllegalArgumentException.class,
        () -> TlsKeys.fromPem(rsa.certificatePem(), missing));
    assertTrue(pem.getMessage().startsWith(missing + " does not exist or cannot be read"),
        pem.getMessage());
  }

  @Test
  void aPkcs1KeySaysHowToConvertIt() throws Exception {
    Path pkcs1 = dir.resolve("rsa1.key");
    Files.writeString(pkcs1,
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsKeys.fromPem(rsa.certificatePem(), pkcs1));
    assertTrue(e.getMessage().startsWith(pkcs1 + " holds a PKCS#1/SEC1 key; expected an"
        + " unencrypted PKCS#8 key"), e.getMessage());
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
  }

  @Test
  void aCertificateFileWithoutCertificatesIsNamed() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TlsKeys.fromPem(rsa.keyPem(), rsa.keyPem()));
    assertTrue(e.getMessage().startsWith(rsa.keyPem().toString()), e.getMessage());
  }

  private void start(SSLContext context, boolean redirect) throws Exception {
    proxy = ProxyServer.start(new ProxySettings("127.0.0.1", 0, ProxyTls.on(0, context, redirect),
        ProxyLimits.defaults(), 2, false), backend.picker(), backend.cluster(),
        new SimpleMeterRegistry());
  }

  private static HttpClient client() throws Exception {
    return HttpClient.newBuilder().sslContext(rsa.clientContext())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }
}
