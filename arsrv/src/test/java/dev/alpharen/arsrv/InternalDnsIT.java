package dev.alpharen.arsrv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The internal DNS server on real node processes: nearest-first SRV, and joining through it. */
class InternalDnsIT {
  @Test
  void answersTheClusterNearestFirstAndANewNodeJoinsThroughIt() throws Exception {
    try (TestCluster cluster = TestCluster.start(3)) {
      TestNode n1 = cluster.node(0);
      int dnsPort = n1.getJson("/api/v1/nodes/n1").get("ports").get("dns").asInt();
      SimpleResolver resolver = new SimpleResolver("127.0.0.1");
      resolver.setPort(dnsPort);
      String zone = cluster.name() + ".arclst.";

      Message answer = resolver.send(Message.newQuery(Record.newRecord(
          Name.fromString("_http._tcp." + zone), Type.SRV, 1)));
      assertEquals(Rcode.NOERROR, answer.getRcode());
      List<SRVRecord> srv = new ArrayList<>();
      answer.getSection(Section.ANSWER).forEach(r -> srv.add((SRVRecord) r));
      srv.sort((a, b) -> Integer.compare(a.getPriority(), b.getPriority()));
      assertEquals(3, srv.size(), answer.toString());
      assertEquals(Name.fromString("n1." + zone), srv.get(0).getTarget(),
          "a node is nearest to itself");
      assertEquals(0, srv.get(0).getPriority());
      assertEquals(n1.httpUrl(), "http://127.0.0.1:" + srv.get(0).getPort());

      Message outside = resolver.send(Message.newQuery(Record.newRecord(
          Name.fromString("example.com."), Type.A, 1)));
      assertEquals(Rcode.REFUSED, outside.getRcode());

      TestNode fourth = cluster.addNode().set("cluster.join.members=",
          "cluster.join.dns=_arclst._tcp." + zone, "cluster.join.dnsServer=127.0.0.1:" + dnsPort);
      fourth.start().awaitReady();
      cluster.awaitClusterSize(4);
      Set<String> ids = new TreeSet<>(fourth.memberIds());
      assertEquals(Set.of("n1", "n2", "n3", "n4"), ids);
    }
  }
}
