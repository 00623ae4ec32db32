package dev.alpharen.arhav.dns;

import static dev.alpharen.arhav.dns.DnsFixtures.ZONE;
import static dev.alpharen.arhav.dns.DnsFixtures.ednsQuery;
import static dev.alpharen.arhav.dns.DnsFixtures.manyNodes;
import static dev.alpharen.arhav.dns.DnsFixtures.name;
import static dev.alpharen.arhav.dns.DnsFixtures.query;
import static dev.alpharen.arhav.dns.DnsFixtures.rdata;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arhav.dns.PacketAnswerer.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class PacketAnswererTest {
  private static final SocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  private static final String HTTP = "_http._tcp.prod.arclst.";

  private final AtomicReference<List<DnsNode>> nodes = new AtomicReference<>(manyNodes(3));
  private final PacketAnswerer answerer = new PacketAnswerer(
      new ZoneAnswerer(name(ZONE), ZoneAnswerer.ipLiteral("127.0.0.1").orElseThrow()),
      nodes::get);

  private Optional<byte[]> send(byte[] packet, Transport transport) {
    return answerer.answer(packet, packet.length, transport, CLIENT);
  }

  private Message exchange(Message query, Transport transport) throws IOException {
    return new Message(send(query.toWire(), transport).orElseThrow());
  }

  @Test
  void dropsPacketsShorterThanAHeader() {
    for (int length : new int[] {0, 1, 2, 5, 11}) {
      assertEquals(Optional.empty(), send(new byte[length], Transport.UDP), length + " bytes");
    }
  }

  @Test
  void dropsPacketsThatAreResponsesThemselves() {
    byte[] packet = query("node-00.prod.arclst.", Type.A).toWire();
    packet[2] |= (byte) 0x80; // QR: answering answers could loop between two servers
    assertEquals(Optional.empty(), send(packet, Transport.UDP));
  }

  @Test
  void answersFormErrWithTheIdWhenTheClaimedQuestionIsMissing() throws IOException {
    byte[] header = {(byte) 0xBE, (byte) 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    byte[] wire = send(header, Transport.UDP).orElseThrow();
    Message response = new Message(wire);
    assertEquals("FORMERR", Rcode.string(response.getRcode()));
    assertEquals(0xBEEF, response.getHeader().getID());
    assertTrue(response.getHeader().getFlag(Flags.QR));
    assertTrue(response.getHeader().getFlag(Flags.RD), "RD copied");
    assertEquals(0, response.getHeader().getCount(Section.QUESTION));
  }

  @Test
  void answersFormErrWhenTheQuestionIsCutShort() throws IOException {
    byte[] packet = query("node-00.prod.arclst.", Type.A).toWire();
    for (int length = 13; length < packet.length; length++) {
      Message response = new Message(answerer.answer(packet, length, Transport.TCP, CLIENT)
          .orElseThrow());
      assertEquals("FORMERR", Rcode.string(response.getRcode()), "cut at " + length);
      assertEquals(((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF), response.getHeader().getID());
    }
  }

  @Test
  void neverThrowsAndAnswersOnlyWithTheQueryIdOnRandomOrMangledPackets() throws IOException {
    Random random = new Random(20_260_101);
    byte[] valid = ednsQuery("node-00.prod.arclst.", Type.A, 1232).toWire();
    int answered = 0;
    for (int i = 0; i < 5_000; i++) {
      byte[] packet;
      if (i % 2 == 0) {
        packet = new byte[random.nextInt(600)];
        random.nextBytes(packet);
      } else {
        packet = Arrays.copyOf(valid, 1 + random.nextInt(valid.length));
        packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
      }
      Transport transport = i % 3 == 0 ? Transport.TCP : Transport.UDP;
      Optional<byte[]> answer = send(packet, transport);
      if (answer.isPresent()) {
        answered++;
        Message response = new Message(answer.get());
        assertTrue(response.getHeader().getFlag(Flags.QR), "an answer, packet " + i);
        assertEquals(((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF),
            response.getHeader().getID(), "the query's id, packet " + i);
        assertTrue(transport == Transport.TCP || answer.get().length <= 1232, "packet " + i);
      }
    }
    assertTrue(answered > 500, "FORMERR or an answer for the readable ones, was " + answered);
  }

  @Test
  void truncatesAUdpAnswerPast512BytesAndSetsTc() throws IOException {
    nodes.set(manyNodes(40));
    byte[] udp = send(query(HTTP, Type.SRV).toWire(), Transport.UDP).orElseThrow();
    assertTrue(udp.length <= 512, "at most 512 bytes without EDNS, was " + udp.length);
    Message truncated = new Message(udp);
    assertTrue(truncated.getHeader().getFlag(Flags.TC), "TC set");
    assertEquals(Rcode.NOERROR, truncated.getRcode());

    Message full = exchange(query(HTTP, Type.SRV), Transport.TCP);
    assertFalse(full.getHeader().getFlag(Flags.TC), "TCP carries the whole answer");
    assertEquals(40, full.getSection(Section.ANSWER).size());
    assertEquals(40, full.getSection(Section.ADDITIONAL).size());
  }

  @Test
  void aSmallAnswerIsNotTruncated() throws IOException {
    Message response = exchange(query(HTTP, Type.SRV), Transport.UDP);
    assertFalse(response.getHeader().getFlag(Flags.TC));
    assertEquals(3, response.getSection(Section.ANSWER).size());
  }

  @Test
  void ednsPayloadLetsALargerUdpAnswerThrough() throws IOException {
    nodes.set(manyNodes(15));
    int fullSize = send(query(HTTP, Type.SRV).toWire(), Transport.TCP).orElseThrow().length;
    assertTrue(fullSize > 512 && fullSize < 1200, "fixture: answer between limits, " + fullSize);

    Message classic = exchange(query(HTTP, Type.SRV), Transport.UDP);
    assertTrue(classic.getHeader().getFlag(Flags.TC), "truncated without EDNS");

    byte[] edns = send(ednsQuery(HTTP, Type.SRV, 1232).toWire(), Transport.UDP).orElseThrow();
    Message response = new Message(edns);
    assertFalse(response.getHeader().getFlag(Flags.TC), "whole with EDNS 1232");
    assertEquals(15, response.getSection(Section.ANSWER).size());
    assertNotNull(response.getOPT(), "OPT echoed");
  }

  @Test
  void ednsPayloadSmallerThanTheAnswerTruncatesAtThatSize() throws IOException {
    nodes.set(manyNodes(40));
    byte[] wire = send(ednsQuery(HTTP, Type.SRV, 700).toWire(), Transport.UDP).orElseThrow();
    assertTrue(wire.length <= 700, "within the client's 700 bytes, was " + wire.length);
    Message response = new Message(wire);
    assertTrue(response.getHeader().getFlag(Flags.TC), "TC set");
    assertNotNull(response.getOPT(), "OPT kept in a truncated answer");
  }

  @Test
  void ednsPayloadIsCappedAtTheServersOwnAndNeverBelow512() throws IOException {
    nodes.set(manyNodes(80));
    byte[] wire = send(ednsQuery(HTTP, Type.SRV, 65_000).toWire(), Transport.UDP).orElseThrow();
    assertTrue(wire.length <= ZoneAnswerer.EDNS_PAYLOAD, "capped, was " + wire.length);
    assertTrue(new Message(wire).getHeader().getFlag(Flags.TC));

    nodes.set(manyNodes(5));
    Message tiny = exchange(ednsQuery(HTTP, Type.SRV, 100), Transport.UDP);
    assertFalse(tiny.getHeader().getFlag(Flags.TC), "a client always takes 512 bytes");
    assertEquals(5, tiny.getSection(Section.ANSWER).size());
  }

  @Test
  void answersServfailWhenTheNodeListFails() throws IOException {
    PacketAnswerer failing = new PacketAnswerer(
        new ZoneAnswerer(name(ZONE), ZoneAnswerer.ipLiteral("127.0.0.1").orElseThrow()),
        () -> {
          throw new IllegalStateException("cluster view not available");
        });
    Message query = query("node-00.prod.arclst.", Type.A);
    byte[] wire = failing.answer(query.toWire(), query.toWire().length, Transport.UDP, CLIENT)
        .orElseThrow();
    Message response = new Message(wire);
    assertEquals("SERVFAIL", Rcode.string(response.getRcode()));
    assertEquals(query.getHeader().getID(), response.getHeader().getID());
    assertEquals(query.getQuestion(), response.getQuestion());
    assertEquals(List.of(), rdata(response, Section.ANSWER));
  }
}
