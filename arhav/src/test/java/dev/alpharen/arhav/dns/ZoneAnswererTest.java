package dev.alpharen.arhav.dns;

import static dev.alpharen.arhav.dns.DnsFixtures.ZONE;
import static dev.alpharen.arhav.dns.DnsFixtures.ednsQuery;
import static dev.alpharen.arhav.dns.DnsFixtures.name;
import static dev.alpharen.arhav.dns.DnsFixtures.query;
import static dev.alpharen.arhav.dns.DnsFixtures.rdata;
import static dev.alpharen.arhav.dns.DnsFixtures.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ZoneAnswererTest {
  private static final String SOA =
      "ns.prod.arclst. hostmaster.prod.arclst. 1 60 10 600 5";

  private final ZoneAnswerer zone = new ZoneAnswerer(name(ZONE), address("10.0.0.53"));

  private final DnsNode a = serving("node-a", "10.0.0.1", 8080);
  private final DnsNode b = serving("node-b", "10.0.0.2", 8081);
  private final DnsNode c = serving("node-c", "10.0.0.3", 8082);

  private static InetAddress address(String literal) {
    return ZoneAnswerer.ipLiteral(literal).orElseThrow();
  }

  private Message ask(String name, int type, DnsNode... nodes) {
    return zone.answer(query(name, type), List.of(nodes));
  }

  private static void assertAuthoritative(Message response, int rcode) {
    assertEquals(Rcode.string(rcode), Rcode.string(response.getRcode()));
    assertTrue(response.getHeader().getFlag(Flags.QR), "QR");
    assertTrue(response.getHeader().getFlag(Flags.AA), "AA");
  }

  @Test
  void nodeNameAnswersItsHostWhateverItsStatus() {
    DnsNode draining = new DnsNode("node-d", "10.0.0.4", 8080, 0, 0, "DRAINING", false);
    Message response = ask("node-d.prod.arclst.", Type.A, a, draining);
    assertAuthoritative(response, Rcode.NOERROR);
    assertEquals(List.of("10.0.0.4"), rdata(response, Section.ANSWER));
    assertEquals(5, response.getSection(Section.ANSWER).get(0).getTTL());
  }

  @Test
  void nodeWithIpv6HostAnswersAaaaAndNoA() {
    DnsNode v6 = serving("node-6", "[fd00::6]", 8080);
    Message aaaa = ask("node-6.prod.arclst.", Type.AAAA, v6);
    assertAuthoritative(aaaa, Rcode.NOERROR);
    assertEquals(List.of(address("fd00::6")), aaaa.getSection(Section.ANSWER).stream()
        .map(r -> ((AAAARecord) r).getAddress()).toList());
    Message a4 = ask("node-6.prod.arclst.", Type.A, v6);
    assertAuthoritative(a4, Rcode.NOERROR);
    assertEquals(List.of(), rdata(a4, Section.ANSWER));
  }

  @Test
  void nodeWhoseHostIsNoIpLiteralHasNoAddressAndNoSrv() {
    DnsNode named = serving("node-n", "node-n.example.com", 8080);
    assertEquals(List.of(), rdata(ask("node-n.prod.arclst.", Type.A, named), Section.ANSWER));
    assertEquals(List.of("0 0 8080 node-a.prod.arclst."),
        rdata(ask("_http._tcp.prod.arclst.", Type.SRV, named, a), Section.ANSWER));
    assertEquals(List.of("\"status=ACTIVE\" \"ready=true\""),
        rdata(ask("node-n.prod.arclst.", Type.TXT, named), Section.ANSWER));
  }

  @Test
  void srvListsServingNodesNearestFirstWithPriorityByRank() {
    Message response = ask("_http._tcp.prod.arclst.", Type.SRV, c, a, b);
    assertAuthoritative(response, Rcode.NOERROR);
    assertEquals(List.of("0 0 8082 node-c.prod.arclst.", "1 0 8080 node-a.prod.arclst.",
        "2 0 8081 node-b.prod.arclst."), rdata(response, Section.ANSWER));
    response.getSection(Section.ANSWER).forEach(r -> assertEquals(5, r.getTTL()));
  }

  @Test
  void srvLeavesOutNodesNotReadyNotActiveOrWithoutThePort() {
    DnsNode notReady = new DnsNode("node-r", "10.0.0.5", 8085, 0, 0, "ACTIVE", false);
    DnsNode joining = new DnsNode("node-j", "10.0.0.6", 8086, 0, 0, "JOINING", true);
    DnsNode draining = new DnsNode("node-d", "10.0.0.7", 8087, 0, 0, "DRAINING", true);
    DnsNode noHttp = new DnsNode("node-h", "10.0.0.8", 0, 9000, 0, "ACTIVE", true);
    assertEquals(List.of("0 0 8080 node-a.prod.arclst."),
        rdata(ask("_http._tcp.prod.arclst.", Type.SRV, notReady, joining, draining, noHttp, a),
            Section.ANSWER));
    assertEquals(List.of("0 0 9000 node-h.prod.arclst.", "1 0 8081 node-a.prod.arclst."),
        rdata(ask("_broker._tcp.prod.arclst.", Type.SRV, notReady, noHttp, a), Section.ANSWER));
  }

  @Test
  void eachServiceNamePublishesItsOwnPort() {
    DnsNode node = new DnsNode("node-p", "10.0.0.9", 8443, 61616, 5701, "ACTIVE", true);
    assertEquals(List.of("0 0 8443 node-p.prod.arclst."),
        rdata(ask("_http._tcp.prod.arclst.", Type.SRV, node), Section.ANSWER));
    assertEquals(List.of("0 0 61616 node-p.prod.arclst."),
        rdata(ask("_broker._tcp.prod.arclst.", Type.SRV, node), Section.ANSWER));
    assertEquals(List.of("0 0 5701 node-p.prod.arclst."),
        rdata(ask("_arclst._tcp.prod.arclst.", Type.SRV, node), Section.ANSWER));
  }

  @Test
  void srvAnswerCarriesTheTargetsAddressesInTheAdditionalSection() {
    DnsNode v6 = serving("node-6", "fd00::6", 8086);
    Message response = ask("_arclst._tcp.prod.arclst.", Type.SRV, b, v6, a);
    List<Record> additional = response.getSection(Section.ADDITIONAL);
    assertEquals(List.of("node-b.prod.arclst./A/10.0.0.2",
            "node-6.prod.arclst./AAAA/" + address("fd00::6").getHostAddress(),
            "node-a.prod.arclst./A/10.0.0.1"),
        additional.stream().map(r -> r.getName() + "/" + Type.string(r.getType()) + "/"
            + (r instanceof AAAARecord v6r ? v6r.getAddress().getHostAddress()
                : r.rdataToString())).toList());
  }

  @Test
  void nodeTxtTellsStatusAndReadiness() {
    DnsNode draining = new DnsNode("node-d", "10.0.0.4", 8080, 0, 0, "DRAINING", false);
    assertEquals(List.of("\"status=DRAINING\" \"ready=false\""),
        rdata(ask("node-d.prod.arclst.", Type.TXT, draining), Section.ANSWER));
    assertEquals(List.of("\"status=ACTIVE\" \"ready=true\""),
        rdata(ask("node-a.prod.arclst.", Type.TXT, a), Section.ANSWER));
  }

  @Test
  void apexAnswersSoaAndNsWithTheNameServersAddress() {
    Message soa = ask(ZONE, Type.SOA, a);
    assertAuthoritative(soa, Rcode.NOERROR);
    assertEquals(List.of(SOA), rdata(soa, Section.ANSWER));
    Message ns = ask(ZONE, Type.NS, a);
    assertEquals(List.of("ns.prod.arclst."), rdata(ns, Section.ANSWER));
    assertEquals(List.of("10.0.0.53"), rdata(ns, Section.ADDITIONAL));
    assertEquals(List.of("10.0.0.53"), rdata(ask("ns.prod.arclst.", Type.A, a), Section.ANSWER));
  }

  @Test
  void unknownNameIsNxdomainWithSoaInAuthority() {
    Message response = ask("nosuch.prod.arclst.", Type.A, a, b);
    assertAuthoritative(response, Rcode.NXDOMAIN);
    assertEquals(List.of(), rdata(response, Section.ANSWER));
    assertEquals(List.of(SOA), rdata(response, Section.AUTHORITY));
    assertTrue(response.getSection(Section.AUTHORITY).get(0) instanceof SOARecord);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x.node-a.prod.arclst.", "_ftp._tcp.prod.arclst.",
      "_http._udp.prod.arclst.", "x._http._tcp.prod.arclst.", "x.ns.prod.arclst.",
      "_udp.prod.arclst."})
  void namesBelowNodesOrServicesOrUnknownServicesAreNxdomain(String name) {
    Message response = ask(name, Type.A, a);
    assertAuthoritative(response, Rcode.NXDOMAIN);
    assertEquals(List.of(SOA), rdata(response, Section.AUTHORITY));
  }

  @Test
  void existingNameWithoutThatTypeIsNodataWithSoa() {
    for (Message response : List.of(ask("node-a.prod.arclst.", Type.MX, a),
        ask(ZONE, Type.A, a), ask("node-a.prod.arclst.", Type.SRV, a),
        ask("_http._tcp.prod.arclst.", Type.A, a))) {
      assertAuthoritative(response, Rcode.NOERROR);
      assertEquals(List.of(), rdata(response, Section.ANSWER), response::toString);
      assertEquals(List.of(SOA), rdata(response, Section.AUTHORITY), response::toString);
    }
  }

  @Test
  void serviceWithoutServingNodesAndTheTcpLabelAreNodataNotNxdomain() {
    DnsNode notReady = new DnsNode("node-r", "10.0.0.5", 8085, 0, 0, "ACTIVE", false);
    for (Message response : List.of(ask("_http._tcp.prod.arclst.", Type.SRV, notReady),
        ask("_broker._tcp.prod.arclst.", Type.SRV), ask("_tcp.prod.arclst.", Type.SRV, a))) {
      assertAuthoritative(response, Rcode.NOERROR);
      assertEquals(List.of(), rdata(response, Section.ANSWER), response::toString);
      assertEquals(List.of(SOA), rdata(response, Section.AUTHORITY), response::toString);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "com.", "arclst.", "other.arclst.", "xprod.arclst.",
      "example.com.", "node-a.prod.arclst.example.com.", "version.bind."})
  void refusesNamesOutsideTheZone(String name) {
    Message response = ask(name, Type.A, a);
    assertEquals("REFUSED", Rcode.string(response.getRcode()));
    assertFalse(response.getHeader().getFlag(Flags.AA), "not authoritative outside the zone");
    assertEquals(name(name), response.getQuestion().getName());
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      assertEquals(List.of(), rdata(response, section));
    }
  }

  @Test
  void refusesOtherClassesAndZoneTransfers() {
    Message chaos = Message.newQuery(Record.newRecord(name("node-a.prod.arclst."), Type.TXT,
        DClass.CH));
    assertEquals("REFUSED", Rcode.string(zone.answer(chaos, List.of(a)).getRcode()));
    assertEquals("REFUSED", Rcode.string(ask(ZONE, Type.AXFR, a).getRcode()));
    assertEquals("REFUSED", Rcode.string(ask(ZONE, Type.IXFR, a).getRcode()));
  }

  @ParameterizedTest
  @ValueSource(ints = {Opcode.IQUERY, Opcode.STATUS, Opcode.NOTIFY, Opcode.UPDATE})
  void answersNotImpForOpcodesOtherThanQuery(int opcode) {
    Message request = query("node-a.prod.arclst.", Type.A);
    request.getHeader().setOpcode(opcode);
    Message response = zone.answer(request, List.of(a));
    assertEquals("NOTIMP", Rcode.string(response.getRcode()));
    assertEquals(request.getHeader().getID(), response.getHeader().getID());
    assertEquals(opcode, response.getHeader().getOpcode());
    assertEquals(List.of(), rdata(response, Section.ANSWER));
  }

  @Test
  void answersFormErrForNoQuestionOrSeveral() {
    Message none = new Message(4711);
    Message response = zone.answer(none, List.of(a));
    assertEquals("FORMERR", Rcode.string(response.getRcode()));
    assertEquals(4711, response.getHeader().getID());

    Message two = query("node-a.prod.arclst.", Type.A);
    two.addRecord(Record.newRecord(name("node-b.prod.arclst."), Type.A, DClass.IN),
        Section.QUESTION);
    Message twoResponse = zone.answer(two, List.of(a, b));
    assertEquals("FORMERR", Rcode.string(twoResponse.getRcode()));
    assertEquals(List.of(), rdata(twoResponse, Section.ANSWER));
  }

  @Test
  void answersFormErrForTwoOptRecords() {
    Message query = ednsQuery("node-a.prod.arclst.", Type.A, 1232);
    query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    assertEquals("FORMERR", Rcode.string(zone.answer(query, List.of(a)).getRcode()));
  }

  @Test
  void namesMatchCaseInsensitivelyAndTheQuestionIsEchoedAsAsked() {
    Message response = ask("NODE-A.Prod.ARCLST.", Type.A, a);
    assertEquals(List.of("10.0.0.1"), rdata(response, Section.ANSWER));
    assertEquals("NODE-A.Prod.ARCLST.", response.getQuestion().getName().toString());
    assertEquals("NODE-A.Prod.ARCLST.",
        response.getSection(Section.ANSWER).get(0).getName().toString());

    DnsNode upper = serving("Node-U", "10.0.0.21", 8080);
    assertEquals(List.of("10.0.0.21"), rdata(ask("node-u.prod.arclst.", Type.A, upper),
        Section.ANSWER));
    assertEquals(List.of("0 0 8080 node-a.prod.arclst."),
        rdata(ask("_HTTP._Tcp.PROD.arclst.", Type.SRV, a), Section.ANSWER));
    assertEquals("NXDOMAIN", Rcode.string(ask("NOSUCH.PROD.ARCLST.", Type.A, a).getRcode()));
  }

  @Test
  void responseKeepsIdOpcodeAndRdAndOffersNoRecursion() {
    Message request = query("node-a.prod.arclst.", Type.A);
    request.getHeader().setID(0xBEEF);
    Message response = zone.answer(request, List.of(a));
    assertEquals(0xBEEF, response.getHeader().getID());
    assertEquals(Opcode.QUERY, response.getHeader().getOpcode());
    assertTrue(response.getHeader().getFlag(Flags.RD), "RD copied from the query");
    assertFalse(response.getHeader().getFlag(Flags.RA), "no recursion available");
    assertEquals(request.getQuestion(), response.getQuestion());

    request.getHeader().unsetFlag(Flags.RD);
    assertFalse(zone.answer(request, List.of(a)).getHeader().getFlag(Flags.RD));
  }

  @Test
  void anyQueryReturnsEveryRecordOfTheName() {
    Message response = ask("node-a.prod.arclst.", Type.ANY, a);
    assertEquals(List.of("10.0.0.1", "\"status=ACTIVE\" \"ready=true\""),
        rdata(response, Section.ANSWER));
  }

  @Test
  void ednsQueryGetsAnOptRecordBackAndAClassicQueryNone() {
    Message edns = zone.answer(ednsQuery("node-a.prod.arclst.", Type.A, 4096), List.of(a));
    OPTRecord opt = edns.getOPT();
    assertNotNull(opt, "OPT in the answer to an EDNS query");
    assertEquals(ZoneAnswerer.EDNS_PAYLOAD, opt.getPayloadSize());
    assertEquals(0, opt.getVersion());
    assertEquals(List.of("10.0.0.1"), rdata(edns, Section.ANSWER));

    assertNull(ask("node-a.prod.arclst.", Type.A, a).getOPT(), "no OPT without EDNS");
  }

  @Test
  void ednsVersionAboveZeroIsBadvers() {
    Message query = query("node-a.prod.arclst.", Type.A);
    query.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    Message response = zone.answer(query, List.of(a));
    assertEquals(Rcode.BADVERS, response.getRcode());
    assertEquals(0, response.getOPT().getVersion());
    assertEquals(List.of(), rdata(response, Section.ANSWER));
  }

  @Test
  void firstOfTwoNodesWithOneIdWins() {
    DnsNode again = serving("node-a", "10.0.0.99", 9999);
    assertEquals(List.of("10.0.0.1"), rdata(ask("node-a.prod.arclst.", Type.A, a, again),
        Section.ANSWER));
    assertEquals(List.of("0 0 8080 node-a.prod.arclst.", "1 0 8081 node-b.prod.arclst."),
        rdata(ask("_http._tcp.prod.arclst.", Type.SRV, a, again, b), Section.ANSWER));
  }

  @Test
  void aNodeNamedNsOwnsTheNsName() {
    DnsNode ns = serving("ns", "10.0.0.77", 8080);
    assertEquals(List.of("10.0.0.77"), rdata(ask("ns.prod.arclst.", Type.A, ns), Section.ANSWER));
  }

  @Test
  void wildcardServerAddressPublishesNoNameServerAddress() {
    ZoneAnswerer wildcard = new ZoneAnswerer(name(ZONE), address("0.0.0.0"));
    Message response = wildcard.answer(query("ns.prod.arclst.", Type.A), List.of(a));
    assertEquals("NOERROR", Rcode.string(response.getRcode()));
    assertEquals(List.of(), rdata(response, Section.ANSWER));
  }

  @Test
  void rejectsARelativeOrRootZone() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ZoneAnswerer(name("."), address("127.0.0.1")));
    assertEquals("zone must be an absolute name below the root, e.g. prod.arclst., was .",
        e.getMessage());
  }
}
