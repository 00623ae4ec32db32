package dev.alpharen.arclst.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;

/**
 * What one SRV response says: the targets and ports it names, in preference order, and the A
 * records of those targets the server sent along in the additional section. Immutable; reading a
 * response and mapping it to seeds touch no network, so they are tested without one.
 *
 * @param targets the SRV targets, lowest priority first, then highest weight, then by name and port
 * @param glue addresses from the additional section, by target name; only for names in
 *     {@code targets}
 */
record SrvAnswer(List<Target> targets, Map<Name, List<InetAddress>> glue) {

  /** One SRV record's target host and port. */
  record Target(Name host, int port) { }

  private static final Comparator<SRVRecord> PREFERENCE =
      Comparator.comparingInt(SRVRecord::getPriority)
          .thenComparing(Comparator.comparingInt(SRVRecord::getWeight).reversed())
          .thenComparing(SRVRecord::getTarget)
          .thenComparingInt(SRVRecord::getPort);

  SrvAnswer {
    targets = List.copyOf(targets);
    glue = Map.copyOf(glue);
  }

  /**
   * Reads the SRV records owned by {@code name} from the answer section, and the A records of their
   * targets from the additional section. Records owned by other names are ignored: a server may
   * only vouch for what was asked. A target of {@code "."} means "no service here" (RFC 2782) and
   * is left out.
   */
  static SrvAnswer of(Message response, Name name) {
    List<SRVRecord> srv = new ArrayList<>();
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof SRVRecord s && s.getName().equals(name)
          && !s.getTarget().equals(Name.root)) {
        srv.add(s);
      }
    }
    srv.sort(PREFERENCE);
    List<Target> targets = new ArrayList<>();
    for (SRVRecord s : srv) {
      targets.add(new Target(s.getTarget(), s.getPort()));
    }
    Map<Name, List<InetAddress>> glue = new HashMap<>();
    for (Target t : targets) {
      List<InetAddress> addresses = addresses(response, Section.ADDITIONAL, t.host());
      if (!addresses.isEmpty()) {
        glue.put(t.host(), addresses);
      }
    }
    return new SrvAnswer(targets, glue);
  }

  /** The addresses of the A records owned by {@code name} in the answer to an A query. */
  static List<InetAddress> addresses(Message aResponse, Name name) {
    return addresses(aResponse, Section.ANSWER, name);
  }

  /**
   * Maps every target to seeds, one per address: the glue when the server sent it, else what
   * {@code lookup} finds (an empty list when it finds nothing). A target with no address at all is
   * reported in {@link Resolution.Seeds#unresolvedTargets()}.
   */
  Resolution.Seeds seeds(Function<Name, List<InetAddress>> lookup) {
    Set<InetSocketAddress> seeds = new LinkedHashSet<>();
    Set<String> unresolved = new TreeSet<>();
    Map<Name, List<InetAddress>> looked = new HashMap<>();
    for (Target t : targets) {
      List<InetAddress> addresses = glue.containsKey(t.host())
          ? glue.get(t.host())
          : looked.computeIfAbsent(t.host(), lookup);
      if (addresses.isEmpty()) {
        unresolved.add(t.host().toString());
      }
      for (InetAddress a : addresses) {
        seeds.add(new InetSocketAddress(a, t.port()));
      }
    }
    return new Resolution.Seeds(new ArrayList<>(seeds), new ArrayList<>(unresolved));
  }

  private static List<InetAddress> addresses(Message message, int section, Name name) {
    List<InetAddress> addresses = new ArrayList<>();
    for (Record r : message.getSection(section)) {
      if (r instanceof ARecord a && a.getName().equals(name)) {
        addresses.add(a.getAddress());
      }
    }
    return addresses;
  }
}
