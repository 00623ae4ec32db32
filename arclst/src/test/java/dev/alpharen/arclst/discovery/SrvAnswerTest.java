package dev.alpharen.arclst.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Mapping an SRV response to seeds, with hand-built messages and no network. */
final class SrvAnswerTest {
  private static final Name SERVICE = name("_arclst._tcp.test.example.");

  private final List<Name> lookedUp = new ArrayList<>();

  @Test
  void mapsEveryTargetAndPortToASeedWithTheAddressesFromTheAdditionalSection() {
    Message response = response(srv(SERVICE, 10, 10, "a.test.example.", 5701),
        srv(SERVICE, 10, 10, "b.test.example.", 5702));
    response.addRecord(a("a.test.example.", "10.0.0.1"), Section.ADDITIONAL);
    response.addRecord(a("b.test.example.", "10.0.0.2"), Section.ADDITIONAL);
    response.addRecord(a("b.test.example.", "10.0.0.3"), Section.ADDITIONAL);

    Resolution.Seeds seeds = SrvAnswer.of(response, SERVICE).seeds(noLookup());

    assertEquals(List.of(seed("10.0.0.1", 5701), seed("10.0.0.2", 5702), seed("10.0.0.3", 5702)),
        seeds.seeds());
    assertEquals(List.of(), seeds.unresolvedTargets());
    assertEquals(List.of(), lookedUp, "the additional section made every A query unnecessary");
  }

  @Test
  void looksUpOnlyTheTargetsTheAdditionalSectionLeftOut() {
    Message response = response(srv(SERVICE, 10, 10, "a.test.example.", 5701),
        srv(SERVICE, 10, 10, "b.test.example.", 5702));
    response.addRecord(a("a.test.example.", "10.0.0.1"), Section.ADDITIONAL);

    Resolution.Seeds seeds = SrvAnswer.of(response, SERVICE)
        .seeds(lookup(Map.of(name("b.test.example."), List.of(ip("10.0.0.2")))));

    assertEquals(List.of(seed("10.0.0.1", 5701), seed("10.0.0.2", 5702)), seeds.seeds());
    assertEquals(List.of(name("b.test.example.")), lookedUp);
  }

  @Test
  void ordersSeedsByPriorityThenByHigherWeight() {
    Message response = response(srv(SERVICE, 20, 10, "c.test.example.", 3),
        srv(SERVICE, 10, 1, "b.test.example.", 2),
        srv(SERVICE, 10, 50, "a.test.example.", 1));

    Resolution.Seeds seeds = SrvAnswer.of(response, SERVICE).seeds(lookup(Map.of(
        name("a.test.example."), List.of(ip("10.0.0.1")),
        name("b.test.example."), List.of(ip("10.0.0.2")),
        name("c.test.example."), List.of(ip("10.0.0.3")))));

    assertEquals(List.of(seed("10.0.0.1", 1), seed("10.0.0.2", 2), seed("10.0.0.3", 3)),
        seeds.seeds());
  }

  @Test
  void ignoresRecordsOwnedByOtherNamesAndTheNoServiceTarget() {
    Message response = response(
        srv(name("_other._tcp.test.example."), 10, 10, "x.test.example.", 9),
        srv(SERVICE, 10, 10, ".", 5701),
        srv(SERVICE, 10, 10, "a.test.example.", 5701));
    response.addRecord(a("a.test.example.", "10.0.0.1"), Section.ADDITIONAL);
    response.addRecord(a("x.test.example.", "10.0.0.9"), Section.ADDITIONAL);

    SrvAnswer answer = SrvAnswer.of(response, SERVICE);

    assertEquals(List.of(new SrvAnswer.Target(name("a.test.example."), 5701)), answer.targets());
    assertEquals(List.of(seed("10.0.0.1", 5701)), answer.seeds(noLookup()).seeds());
  }

  @Test
  void reportsTargetsWithoutAnyAddressAndKeepsTheOthers() {
    Message response = response(srv(SERVICE, 10, 10, "gone.test.example.", 5701),
        srv(SERVICE, 10, 10, "a.test.example.", 5702));
    response.addRecord(a("a.test.example.", "10.0.0.1"), Section.ADDITIONAL);

    Resolution.Seeds seeds = SrvAnswer.of(response, SERVICE).seeds(lookup(Map.of()));

    assertEquals(List.of(seed("10.0.0.1", 5702)), seeds.seeds());
    assertEquals(List.of("gone.test.example."), seeds.unresolvedTargets());
  }

  @Test
  void listsASeedNamedTwiceOnceAndLooksUpATargetOnce() {
    Message response = response(srv(SERVICE, 10, 10, "a.test.example.", 5701),
        srv(SERVICE, 20, 10, "A.TEST.EXAMPLE.", 5701));

    Resolution.Seeds seeds = SrvAnswer.of(response, SERVICE)
        .seeds(lookup(Map.of(name("a.test.example."), List.of(ip("10.0.0.1")))));

    assertEquals(List.of(seed("10.0.0.1", 5701)), seeds.seeds());
    assertEquals(1, lookedUp.size(), "names compare case-insensitively: " + lookedUp);
  }

  @Test
  void anAnswerWithoutSrvRecordsHasNoSeeds() {
    Resolution.Seeds seeds = SrvAnswer.of(response(), SERVICE).seeds(noLookup());

    assertEquals(List.of(), seeds.seeds());
    assertEquals(List.of(), seeds.unresolvedTargets());
  }

  @Test
  void readsOnlyTheAddressesOfTheAskedNameFromAnAAnswer() {
    Message response = new Message();
    response.addRecord(a("a.test.example.", "10.0.0.1"), Section.ANSWER);
    response.addRecord(a("other.test.example.", "10.0.0.9"), Section.ANSWER);

    assertEquals(List.of(ip("10.0.0.1")), SrvAnswer.addresses(response, name("a.test.example.")));
  }

  private Function<Name, List<InetAddress>> noLookup() {
    return lookup(Map.of());
  }

  private Function<Name, List<InetAddress>> lookup(Map<Name, List<InetAddress>> zone) {
    return target -> {
      lookedUp.add(target);
      return zone.getOrDefault(target, List.of());
    };
  }

  private static Message response(Record... answers) {
    Message m = new Message();
    m.addRecord(Record.newRecord(SERVICE, Type.SRV, DClass.IN), Section.QUESTION);
    for (Record r : answers) {
      m.addRecord(r, Section.ANSWER);
    }
    return m;
  }

  private static SRVRecord srv(Name owner, int priority, int weight, String target, int port) {
    return new SRVRecord(owner, DClass.IN, 60, priority, weight, port, name(target));
  }

  private static ARecord a(String owner, String ip) {
    return new ARecord(name(owner), DClass.IN, 60, ip(ip));
  }

  private static InetSocketAddress seed(String ip, int port) {
    return new InetSocketAddress(ip(ip), port);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static Name name(String name) {
    try {
      return Name.fromString(name);
    } catch (TextParseException e) {
      throw new AssertionError(e);
    }
  }
}
