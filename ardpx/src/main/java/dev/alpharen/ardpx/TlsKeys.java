package dev.alpharen.ardpx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Builds the TLS server context of ARDPX from a PEM pair (certificate chain and unencrypted
 * PKCS#8 private key) or from a PKCS12 key store. Every failure is an
 * {@link IllegalArgumentException} that names the file and says what is wrong with it and what
 * is allowed. Stateless and thread-safe.
 */
public final class TlsKeys {
  private static final char[] INTERNAL_PASSWORD = "ardpx".toCharArray();
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

  private TlsKeys() {}

  /**
   * @param certificate PEM file with the server certificate first, then its chain
   * @param privateKey PEM file with the matching key as {@code BEGIN PRIVATE KEY} (PKCS#8)
   */
  public static SSLContext fromPem(Path certificate, Path privateKey) {
    Certificate[] chain = readCertificates(certificate);
    PrivateKey key = readPrivateKey(privateKey);
    String certAlgorithm = chain[0].getPublicKey().getAlgorithm();
    if (!sameFamily(certAlgorithm, key.getAlgorithm())) {
      throw new IllegalArgumentException(privateKey + " holds a " + key.getAlgorithm()
          + " key but the certificate in " + certificate + " is for a " + certAlgorithm
          + " key; give the key that belongs to the certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("ardpx", key, INTERNAL_PASSWORD, chain);
      return context(store, INTERNAL_PASSWORD);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(certificate + " and " + privateKey
          + " do not make a TLS key pair: " + e.getMessage(), e);
    }
  }

  /** @param file a PKCS12 (or JKS) key store with one private key entry */
  public static SSLContext fromKeyStore(Path file, String password) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(file + " does not exist or cannot be read");
    }
    char[] pass = password.toCharArray();
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, pass);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new IllegalArgumentException(file + ": wrong key store password", e);
      }
      throw new IllegalArgumentException(file + " is not a PKCS12 key store or is damaged ("
          + e.getMessage() + ")", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + " cannot be read as a PKCS12 key store: "
          + e.getMessage(), e);
    }
    try {
      if (!hasKey(store)) {
        throw new IllegalArgumentException(file + " holds no private key entry; a TLS server"
            + " needs one key with its certificate chain");
      }
      return context(store, pass);
    } catch (UnrecoverableKeyException e) {
      throw new IllegalArgumentException(file + ": the key's password differs from the key"
          + " store password; ARDPX needs both to be the same", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(file + " cannot be used for TLS: " + e.getMessage(), e);
    }
  }

  private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
    for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
      if (store.isKeyEntry(aliases.nextElement())) {
        return true;
      }
    }
    return false;
  }

  private static SSLContext context(KeyStore store, char[] password)
      throws GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(
        KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static Certificate[] readCertificates(Path file) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " does not exist or cannot be read ("
          + e.getMessage() + ")", e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + " is not a PEM certificate chain ("
          + e.getMessage() + ")", e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no certificate; expected one or more"
          + " -----BEGIN CERTIFICATE----- blocks, the server's first");
    }
    return certificates.toArray(new Certificate[0]);
  }

  private static PrivateKey readPrivateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " does not exist or cannot be read ("
          + e.getMessage() + ")", e);
    }
    String begin = "-----BEGIN PRIVATE KEY-----";
    int start = text.indexOf(begin);
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (start < 0 || end < start) {
      String found = text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE")
          ? "a PKCS#1/SEC1 key" : text.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key"
          : "no private key";
      throw new IllegalArgumentException(file + " holds " + found + "; expected an unencrypted"
          + " PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert with: openssl pkcs8 -topk8"
          + " -nocrypt -in " + file + " -out key.pem");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": the private key is not valid base64", e);
    }
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // not this algorithm; try the next
      }
    }
    throw new IllegalArgumentException(file + " holds a private key that is not RSA, EC or EdDSA"
        + " or is damaged");
  }

  private static boolean sameFamily(String certificate, String key) {
    return certificate.equals(key) || certificate.startsWith("Ed") && key.startsWith("Ed")
        || certificate.equals("EdDSA") || key.equals("EdDSA");
  }
}
