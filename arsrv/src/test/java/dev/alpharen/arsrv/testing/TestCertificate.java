package dev.alpharen.arsrv.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed RSA certificate for 127.0.0.1 and localhost in a PKCS12 store, made by the JDK's
 * keytool, and a client context that trusts only it.
 *
 * @param keyStore the PKCS12 file
 * @param password its store and key password
 */
public record TestCertificate(Path keyStore, String password) {
  public static TestCertificate create(Path dir) {
    Path store = dir.resolve("proxy.p12");
    String password = "it-proxy-store";
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(store);
      Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "proxy",
          "-keyalg", "RSA", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
          "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
          "-storepass", password, "-keypass", password).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("keytool failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new TestCertificate(store, password);
  }

  /** An SSL context for clients that trusts this certificate only. */
  public SSLContext clientContext() {
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password.toCharArray());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("proxy", ks.getCertificate("proxy"));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + keyStore, e);
    }
  }
}
