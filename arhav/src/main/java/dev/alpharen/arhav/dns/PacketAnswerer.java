package dev.alpharen.arhav.dns;

import java.net.SocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Turns one DNS packet as received into the bytes to send back, for either transport: parses it,
 * has the {@link ZoneAnswerer} answer it from the nodes of the moment, and renders the answer
 * within the transport's size limit (truncated with the TC flag over UDP past 512 bytes, or past
 * the query's EDNS payload size). A packet too short for a header, or one that is itself a
 * response, gets no answer; any other packet that cannot be parsed gets FORMERR; a failing node
 * list gets SERVFAIL. It never throws. Thread-safe.
 */
final class PacketAnswerer {
  /** The UDP payload every DNS client takes (RFC 1035); with EDNS, the client may allow more. */
  static final int CLASSIC_UDP_PAYLOAD = 512;
  private static final int TCP_PAYLOAD = 65_535;
  private static final Logger log = LoggerFactory.getLogger(PacketAnswerer.class);

  /** How the packet came and its answer goes; decides the size limit. */
  enum Transport { UDP, TCP }

  private final ZoneAnswerer zone;
  private final Supplier<List<DnsNode>> nodes;
  private final AtomicBoolean warned = new AtomicBoolean();

  PacketAnswerer(ZoneAnswerer zone, Supplier<List<DnsNode>> nodes) {
    this.zone = zone;
    this.nodes = nodes;
  }

  /**
   * The answer to the first {@code length} bytes of {@code packet}, or empty when there is none
   * to send.
   */
  Optional<byte[]> answer(byte[] packet, int length, Transport transport, SocketAddress client) {
    if (length < Header.LENGTH || (packet[2] & 0x80) != 0) {
      log.debug("{} packet of {} bytes from {} is no query; dropped", transport, length, client);
      return Optional.empty();
    }
    Message query;
    try {
      query = new Message(Arrays.copyOf(packet, length));
    } catch (Exception e) { // WireParseException mostly, but dnsjava may throw on odd data too
      log.debug("{} packet of {} bytes from {} does not parse: {}", transport, length, client,
          e.toString());
      return Optional.of(formErr(packet).toWire());
    }
    int limit = limit(query, transport);
    Message response;
    byte[] wire;
    try {
      response = zone.answer(query, List.copyOf(nodes.get()));
      wire = response.toWire(limit);
    } catch (RuntimeException e) {
      warnOnce("cannot answer query " + describe(query) + " from " + client
          + "; answered SERVFAIL", e);
      response = ZoneAnswerer.reply(query, Rcode.SERVFAIL);
      wire = response.toWire(limit);
    }
    if (log.isDebugEnabled()) {
      log.debug("{} query {} from {}: {}, {} bytes{}", transport, describe(query), client,
          Rcode.string(response.getRcode()), wire.length,
          (wire[2] & 0x02) != 0 ? ", truncated" : "");
    }
    return Optional.of(wire);
  }

  /** The largest answer {@code transport} may carry for {@code query}. */
  private static int limit(Message query, Transport transport) {
    if (transport == Transport.TCP) {
      return TCP_PAYLOAD;
    }
    OPTRecord opt = query.getOPT();
    return opt == null ? CLASSIC_UDP_PAYLOAD
        : Math.max(CLASSIC_UDP_PAYLOAD, Math.min(opt.getPayloadSize(), ZoneAnswerer.EDNS_PAYLOAD));
  }

  /** The question as {@code name TYPE}, or "without a question". */
  private static String describe(Message query) {
    Record q = query.getQuestion();
    return q == null ? "without a question" : q.getName() + " " + Type.string(q.getType());
  }

  /** FORMERR for a packet whose header is readable but the rest is not. */
  private static Message formErr(byte[] packet) {
    Message response = new Message(((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF));
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode((packet[2] >> 3) & 0x0F);
    if ((packet[2] & 0x01) != 0) {
      header.setFlag(Flags.RD);
    }
    header.setRcode(Rcode.FORMERR);
    return response;
  }

  private void warnOnce(String what, RuntimeException e) {
    if (warned.compareAndSet(false, true)) {
      log.warn("internal DNS: {} (logged once; later failures at DEBUG)", what, e);
    } else {
      log.debug("internal DNS: {}", what, e);
    }
  }
}
