package dev.alpharen.arclst.discovery;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.PortUnreachableException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

/**
 * Resolves one SRV name into seed addresses by asking one DNS server, and nothing else: no cache,
 * no search path, no hosts file, so every call sees the records as the server has them now.
 * Thread-safe.
 *
 * <p>dnsjava's {@code Lookup} is not used on purpose: it caches answers (and NXDOMAIN) in a
 * JVM-wide cache unless told otherwise, answers A queries from {@code /etc/hosts}, and does not
 * show the additional section, where the server puts the targets' addresses.
 */
final class SrvLookup {
  private final Resolver resolver;
  private final Name name;

  /**
   * @param resolver sends each query to the one configured server, with its own timeout
   * @param name the absolute SRV name, e.g. {@code _arclst._tcp.lan.example.}
   */
  SrvLookup(Resolver resolver, Name name) {
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("SRV name must be absolute (end with a dot), was " + name);
    }
    this.resolver = resolver;
    this.name = name;
  }

  Name name() {
    return name;
  }

  /**
   * Asks for the SRV records of the name, then for the A record of each target the server did not
   * send along. Never throws: whatever goes wrong is a {@link Resolution.Failure}.
   */
  Resolution resolve() {
    Message response;
    try {
      response = query(name, Type.SRV);
    } catch (IOException e) {
      return new Resolution.Failure(describe(e));
    }
    int rcode = response.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      return new Resolution.Failure("no such name (NXDOMAIN)");
    }
    if (rcode != Rcode.NOERROR) {
      return new Resolution.Failure("server answered " + Rcode.string(rcode));
    }
    return SrvAnswer.of(response, name).seeds(this::addresses);
  }

  /** The A records of {@code target}, or none when the server has none or does not answer. */
  private List<InetAddress> addresses(Name target) {
    try {
      Message response = query(target, Type.A);
      return response.getRcode() == Rcode.NOERROR
          ? SrvAnswer.addresses(response, target)
          : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private Message query(Name owner, int type) throws IOException {
    Message query = Message.newQuery(Record.newRecord(owner, type, DClass.IN));
    Message response = resolver.send(query);
    if (!query.getQuestion().equals(response.getQuestion())) {
      throw new IOException("the answer is for " + response.getQuestion() + ", not the question");
    }
    return response;
  }

  /** Words {@code e} without query ids or timestamps, so the same trouble reads the same. */
  private String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PortUnreachableException) {
        return "no DNS server listening (port unreachable)";
      }
      if (t instanceof InterruptedIOException || t instanceof TimeoutException
          || String.valueOf(t.getMessage()).startsWith("Timed out")) {
        return "no answer within " + resolver.getTimeout().toMillis() + " ms";
      }
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
