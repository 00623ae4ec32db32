package dev.alpharen.arhav.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The authority for one zone ({@code <cluster>.<suffix>}, e.g. {@code prod.arclst.}) as a pure
 * function: one query {@link Message} and the cluster's nodes, nearest first, in; the response
 * {@link Message} out. The zone holds the apex (SOA, NS {@code ns.<zone>}), {@code ns.<zone>} (the
 * answering server's own address), {@code <node-id>.<zone>} (A or AAAA, TXT) and the SRV names
 * {@code _http._tcp}, {@code _broker._tcp} and {@code _arclst._tcp}; every other name in the zone
 * is NXDOMAIN, every name outside it REFUSED: this server never recurses. Wire format, sizes and
 * truncation are {@link PacketAnswerer}'s. Immutable, hence thread-safe.
 */
final class ZoneAnswerer {
  /** Every record's TTL, and the negative-caching time: the cluster view changes quickly. */
  static final long TTL_SECONDS = 5;
  /** The UDP payload this server advertises with EDNS (the 2020 DNS flag day's size). */
  static final int EDNS_PAYLOAD = 1232;
  // Nothing transfers this zone, so the serial never has to move.
  private static final long SERIAL = 1;

  /** The SRV services, by their label under {@code _tcp}. */
  private enum Service {
    HTTP("_http", DnsNode::httpPort),
    BROKER("_broker", DnsNode::brokerPort),
    ARCLST("_arclst", DnsNode::clusterPort);

    final String label;
    final ToIntFunction<DnsNode> port;

    Service(String label, ToIntFunction<DnsNode> port) {
      this.label = label;
      this.port = port;
    }

    static Optional<Service> of(String label) {
      for (Service s : values()) {
        if (s.label.equals(label)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  private final Name zone;
  private final Name nameServer;
  private final Optional<InetAddress> nameServerAddress;
  private final SOARecord soa;

  /**
   * @param zone the absolute zone name, e.g. {@code prod.arclst.}
   * @param serverAddress the answering server's address, published as {@code ns.<zone>} unless it
   *     is the wildcard address
   */
  ZoneAnswerer(Name zone, InetAddress serverAddress) {
    if (!zone.isAbsolute() || zone.labels() < 2) {
      throw new IllegalArgumentException("zone must be an absolute name below the root, e.g."
          + " prod.arclst., was " + zone);
    }
    this.zone = zone;
    this.nameServer = child("ns", zone);
    this.nameServerAddress = serverAddress.isAnyLocalAddress()
        ? Optional.empty() : Optional.of(serverAddress);
    this.soa = new SOARecord(zone, DClass.IN, TTL_SECONDS, nameServer, child("hostmaster", zone),
        SERIAL, 60, 10, 600, TTL_SECONDS);
  }

  /** The response to {@code query}, from {@code nodes} ordered nearest-first. */
  Message answer(Message query, List<DnsNode> nodes) {
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return reply(query, Rcode.NOTIMP);
    }
    List<Record> questions = query.getSection(Section.QUESTION);
    long opts = query.getSection(Section.ADDITIONAL).stream()
        .filter(r -> r.getType() == Type.OPT).count();
    if (questions.size() != 1 || query.getHeader().getCount(Section.QUESTION) != 1 || opts > 1) {
      return reply(query, Rcode.FORMERR);
    }
    Message response = reply(query, Rcode.NOERROR);
    OPTRecord opt = query.getOPT();
    if (opt != null && opt.getVersion() > 0) {
      response.getHeader().setRcode(Rcode.BADVERS & 0xF);
      response.addRecord(new OPTRecord(EDNS_PAYLOAD, Rcode.BADVERS >>> 4, 0), Section.ADDITIONAL);
      return response;
    }
    if (opt != null) {
      response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    Record question = questions.get(0);
    int type = question.getType();
    Name name = question.getName();
    boolean internet = question.getDClass() == DClass.IN || question.getDClass() == DClass.ANY;
    if (!internet || !name.subdomain(zone) || type == Type.AXFR || type == Type.IXFR) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return response;
    }
    response.getHeader().setFlag(Flags.AA);
    Map<String, DnsNode> byId = byId(nodes);
    Optional<List<Record>> owned = recordsAt(name, byId, nodes);
    if (owned.isEmpty()) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      response.addRecord(soa, Section.AUTHORITY);
      return response;
    }
    List<Record> answers = owned.get().stream()
        .filter(r -> type == Type.ANY || r.getType() == type).toList();
    if (answers.isEmpty()) {
      response.addRecord(soa, Section.AUTHORITY);
      return response;
    }
    answers.forEach(r -> response.addRecord(r, Section.ANSWER));
    for (Record r : answers) {
      Name target = r instanceof SRVRecord srv ? srv.getTarget()
          : r instanceof NSRecord ns ? ns.getTarget() : null;
      if (target != null) {
        recordsAt(target, byId, nodes).orElse(List.of()).stream()
            .filter(a -> a.getType() == Type.A || a.getType() == Type.AAAA)
            .forEach(a -> response.addRecord(a, Section.ADDITIONAL));
      }
    }
    return response;
  }

  /**
   * The start of a response to {@code query}: its id, opcode, RD flag and question (if it has
   * exactly one), with {@code rcode} and no records yet.
   */
  static Message reply(Message query, int rcode) {
    Message response = new Message(query.getHeader().getID());
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    header.setRcode(rcode);
    List<Record> questions = query.getSection(Section.QUESTION);
    if (questions.size() == 1 && query.getHeader().getCount(Section.QUESTION) == 1) {
      response.addRecord(questions.get(0), Section.QUESTION);
    }
    return response;
  }

  /**
   * Every record at {@code name}, all types; empty if the name does not exist. Owner names are
   * {@code name} as asked, so the answer keeps the question's letter case.
   */
  private Optional<List<Record>> recordsAt(Name name, Map<String, DnsNode> byId,
      List<DnsNode> nodes) {
    int depth = name.labels() - zone.labels();
    if (depth == 0) {
      return Optional.of(List.of(soa, new NSRecord(name, DClass.IN, TTL_SECONDS, nameServer)));
    }
    String first = name.getLabelString(0).toLowerCase(Locale.ROOT);
    if (depth == 1) {
      DnsNode node = byId.get(first);
      if (node != null) { // a node named "ns" runs a DNS server too, so it may own the name
        List<Record> records = new ArrayList<>(2);
        address(name, node.host()).ifPresent(records::add);
        records.add(new TXTRecord(name, DClass.IN, TTL_SECONDS,
            List.of("status=" + node.status(), "ready=" + node.ready())));
        return Optional.of(records);
      }
      if (name.equals(nameServer)) {
        return Optional.of(nameServerAddress.map(a -> List.of(address(name, a))).orElse(List.of()));
      }
      // "_tcp" only holds the SRV names: an empty non-terminal, which exists (RFC 8020).
      return first.equals("_tcp") ? Optional.of(List.of()) : Optional.empty();
    }
    if (depth == 2 && name.getLabelString(1).equalsIgnoreCase("_tcp")) {
      return Service.of(first).map(service -> srvRecords(name, service, nodes));
    }
    return Optional.empty();
  }

  /**
   * One SRV record per serving node with the service's port and an IP address, in the order
   * given; priority is the rank in that order, so the nearest node has priority 0.
   */
  private List<Record> srvRecords(Name name, Service service, List<DnsNode> nodes) {
    List<Record> records = new ArrayList<>();
    for (DnsNode node : byId(nodes).values()) {
      int port = service.port.applyAsInt(node);
      if (node.serving() && port > 0 && ipLiteral(node.host()).isPresent()) {
        records.add(new SRVRecord(name, DClass.IN, TTL_SECONDS, records.size(), 0, port,
            child(node.id(), zone)));
      }
    }
    return records;
  }

  /** The nodes by lower-case id in the given order; the first of two with one id wins. */
  private static Map<String, DnsNode> byId(List<DnsNode> nodes) {
    Map<String, DnsNode> byId = new LinkedHashMap<>();
    for (DnsNode node : nodes) {
      byId.putIfAbsent(node.id().toLowerCase(Locale.ROOT), node);
    }
    return byId;
  }

  private static Optional<Record> address(Name owner, String host) {
    return ipLiteral(host).map(a -> address(owner, a));
  }

  private static Record address(Name owner, InetAddress address) {
    return address instanceof Inet4Address
        ? new ARecord(owner, DClass.IN, TTL_SECONDS, address)
        : new AAAARecord(owner, DClass.IN, TTL_SECONDS, address);
  }

  /** {@code host} as an address if it is an IPv4 or IPv6 literal (brackets allowed); no lookup. */
  static Optional<InetAddress> ipLiteral(String host) {
    String bare = host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    byte[] bytes = Address.toByteArray(bare, Address.IPv4);
    if (bytes == null) {
      bytes = Address.toByteArray(bare, Address.IPv6);
    }
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  private static Name child(String label, Name parent) {
    try {
      return Name.concatenate(Name.fromString(label), parent);
    } catch (TextParseException | NameTooLongException e) {
      throw new IllegalArgumentException("\"" + label + "." + parent + "\" is not a DNS name", e);
    }
  }
}
