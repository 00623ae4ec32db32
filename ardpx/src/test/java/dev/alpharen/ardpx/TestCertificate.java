package dev.alpharen.ardpx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made by the JDK's keytool in a test's
 * directory, as a PKCS12 store and as a PEM pair, with a client context that trusts it.
 */
record TestCertificate(Path keyStore, String password, Path certificatePem, Path keyPem) {
  static TestCertificate create(Path dir, String keyAlgorithm) throws Exception {
    Path store = dir.resolve("proxy.p12");
    String password = "changeit-" + keyAlgorithm.toLowerCase();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "proxy",
        "-keyalg", keyAlgorithm, "-dname", "CN=localhost", "-ext",
        "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", password, "-keypass", password)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + out);
    }
    KeyStore ks = load(store, password);
    Path cert = dir.resolve("proxy.crt");
    Path key = dir.resolve("proxy.key");
    Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("proxy").getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY",
        ks.getKey("proxy", password.toCharArray()).getEncoded()));
    return new TestCertificate(store, password, cert, key);
  }

  /** A client context that trusts this certificate only. */
  SSLContext clientContext() throws Exception {
    Certificate cert = load(keyStore, password).getCertificate("proxy");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("proxy", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static KeyStore load(Path store, String password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
