package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arsrv.testing.TestCertificate;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * ARDPX at the edge of real node processes: TLS with a certificate made in the test, the
 * refusals (smuggling 400, oversize headers 431, oversize body 413), the access log, the
 * per-backend meters on {@code /metrics}, and a key store that cannot be opened.
 */
class ProxyEdgeIT {
  private static final Path CERTS = Path.of("target", "it-certs").toAbsolutePath();

  @Test
  void terminatesTlsRefusesBadRequestsAndRecordsEachRequest() throws Exception {
    TestCertificate cert = TestCertificate.create(CERTS);
    int tlsPort = freePort();
    try (TestCluster cluster = TestCluster.create(2, "proxy.tlsPort=" + tlsPort,
        "proxy.keyStore=" + cert.keyStore(), "proxy.keyStorePassword=" + cert.password(),
        "proxy.maxHeaderBytes=4096", "proxy.maxBodyBytes=2048")) {
      cluster.node(1).set("node.roles=arsrv", "proxy.tlsPort=0");
      cluster.nodes().forEach(TestNode::start);
      cluster.nodes().forEach(TestNode::awaitReady);
      cluster.awaitClusterSize(2);
      TestNode edge = cluster.node(0);
      HttpClient client = HttpClient.newBuilder().sslContext(cert.clientContext())
          .connectTimeout(Duration.ofSeconds(5)).build();

      HttpResponse<String> secure = client.send(HttpRequest.newBuilder(URI.create(
          "https://localhost:" + tlsPort + "/health/live")).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, secure.statusCode(), secure.body());
      assertTrue(secure.headers().firstValue("X-Alpharen-Node").isPresent());

      int port = proxyPort(edge);
      String smuggled = raw(port, "POST /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      assertTrue(smuggled.startsWith("HTTP/1.1 400"), smuggled);
      String bigHeaders = raw(port, "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: "
          + "a".repeat(5000) + "\r\n\r\n");
      assertTrue(bigHeaders.startsWith("HTTP/1.1 431"), bigHeaders);
      String bigBody = raw(port, "POST /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 3000"
          + "\r\n\r\n" + "b".repeat(3000));
      assertTrue(bigBody.startsWith("HTTP/1.1 413"), bigBody);
      assertTrue(!bigBody.contains("Exception") && !bigBody.contains("\tat "), bigBody);

      await("an access line for the HTTPS request").atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(edge.log()).lines().anyMatch(l -> l.contains(
              "alpharen.access") && l.contains("\"GET /health/live HTTP/1.1\" 200")));
      String metrics = edge.get("/metrics").body();
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("ardpx_requests_seconds_count{")
          && l.contains("backend=\"n")), metrics);
      assertTrue(metrics.contains("ardpx_requests_seconds_count{backend=\"none\""), metrics);
    }
  }

  @Test
  void aWrongKeyStorePasswordStopsTheNodeNamingTheKey() {
    TestCertificate cert = TestCertificate.create(CERTS.resolve("wrong"));
    try (TestCluster cluster = TestCluster.create(1, "proxy.tlsPort=" + freePort(),
        "proxy.keyStore=" + cert.keyStore(), "proxy.keyStorePassword=not-the-password")) {
      TestNode node = cluster.node(0).start();
      assertEquals(1, node.awaitExit(Duration.ofSeconds(60)), node.tail());
      assertTrue(node.tail().contains("proxy.keyStore: " + cert.keyStore()
          + ": wrong key store password"), node.tail());
    }
  }

  private static int proxyPort(TestNode node) {
    return node.getJson("/api/v1/nodes/" + node.id()).get("ports").get("proxy").asInt();
  }

  private static String raw(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
