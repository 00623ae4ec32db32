package dev.alpharen.arhav.dns;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Nodes, names and queries the DNS tests share. */
final class DnsFixtures {
  static final String ZONE = "prod.arclst.";

  private DnsFixtures() {}

  /** A ready ACTIVE node with HTTP on {@code httpPort}, the broker one above, the cluster two. */
  static DnsNode serving(String id, String host, int httpPort) {
    return new DnsNode(id, host, httpPort, httpPort + 1, httpPort + 2, "ACTIVE", true);
  }

  /** {@code count} serving nodes {@code node-00 …} on 10.0.0.1 …, HTTP on 8000 …. */
  static List<DnsNode> manyNodes(int count) {
    List<DnsNode> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(serving(String.format("node-%02d", i), "10.0.0." + (i + 1), 8000 + i));
    }
    return nodes;
  }

  static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** A standard query (RD set, like every stub resolver sends) for {@code name} and {@code type}. */
  static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
  }

  /** As {@link #query}, with an EDNS OPT record offering {@code payload} bytes over UDP. */
  static Message ednsQuery(String name, int type, int payload) {
    Message query = query(name, type);
    query.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
    return query;
  }

  /** The records of {@code section} as their rdata text, e.g. {@code 0 0 8080 a.prod.arclst.}. */
  static List<String> rdata(Message message, int section) {
    return message.getSection(section).stream()
        .filter(r -> !(r instanceof OPTRecord))
        .map(Record::rdataToString).toList();
  }
}
