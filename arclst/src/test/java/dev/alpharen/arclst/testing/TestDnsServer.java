package dev.alpharen.arclst.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP, a free port) that answers from the SRV and A
 * records a test sets, and may change while it runs: a name with no records is NXDOMAIN, a name
 * with records of another type only is an empty NOERROR answer. SRV answers carry the targets' A
 * records in the additional section unless {@link #sendAdditionalRecords} is off. It can also stop
 * answering ({@link #answer}) so that clients time out.
 *
 * <p>Thread-safe: the records are an immutable map swapped atomically; queries are served by one
 * daemon thread named {@code test-dns-<port>}.
 */
public final class TestDnsServer implements AutoCloseable {
  private static final long TTL_SECONDS = 0; // nothing may be cached: tests change records

  private final DatagramSocket socket;
  private final Thread server;
  private final AtomicReference<Map<Name, List<Record>>> records = new AtomicReference<>(Map.of());
  private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
  private volatile boolean additional = true;
  private volatile boolean answering = true;

  private TestDnsServer(DatagramSocket socket) {
    this.socket = socket;
    this.server = new Thread(this::serve, "test-dns-" + socket.getLocalPort());
    server.setDaemon(true);
  }

  /** Starts a server on 127.0.0.1 on a free UDP port. */
  public static TestDnsServer start() {
    try {
      DatagramSocket socket = new DatagramSocket(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      TestDnsServer dns = new TestDnsServer(socket);
      dns.server.start();
      return dns;
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot open a UDP socket on 127.0.0.1", e);
    }
  }

  /** The address to send queries to. */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** The address as {@code host:port}, the form of {@code cluster.join.dnsServer}. */
  public String hostPort() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** Adds an SRV record (priority 10, weight 10) for {@code name} naming {@code target:port}. */
  public void addSrv(String name, String target, int port) {
    addSrv(name, 10, 10, target, port);
  }

  /** Adds an SRV record for {@code name} naming {@code target:port}. */
  public void addSrv(String name, int priority, int weight, String target, int port) {
    Name owner = name(name);
    add(new SRVRecord(owner, DClass.IN, TTL_SECONDS, priority, weight, port, name(target)));
  }

  /** Adds an A record for {@code name}. */
  public void addA(String name, String ipv4) {
    try {
      add(new ARecord(name(name), DClass.IN, TTL_SECONDS, InetAddress.getByName(ipv4)));
    } catch (IOException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + ipv4, e);
    }
  }

  /** Adds an SRV record for {@code name} naming {@code target:port}, and the target's A record. */
  public void addMember(String name, String target, String ipv4, int port) {
    addA(target, ipv4);
    addSrv(name, target, port);
  }

  /** Removes every record of {@code name}: it becomes NXDOMAIN. */
  public void remove(String name) {
    Name owner = name(name);
    records.updateAndGet(current -> {
      Map<Name, List<Record>> next = new HashMap<>(current);
      next.remove(owner);
      return Map.copyOf(next);
    });
  }

  /** Whether SRV answers carry the targets' A records in the additional section (on at start). */
  public void sendAdditionalRecords(boolean on) {
    additional = on;
  }

  /** Whether the server answers at all (on at start); off, it reads and drops every query. */
  public void answer(boolean on) {
    answering = on;
  }

  /** How many queries for {@code name} and {@code type} (e.g. {@link Type#A}) arrived so far. */
  public int queries(String name, int type) {
    AtomicInteger n = queries.get(key(name(name), type));
    return n == null ? 0 : n.get();
  }

  /** Stops the server; its port is closed, so queries to it fail. */
  @Override
  public void close() {
    socket.close();
    try {
      server.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void add(Record record) {
    records.updateAndGet(current -> {
      Map<Name, List<Record>> next = new HashMap<>(current);
      List<Record> list = new ArrayList<>(next.getOrDefault(record.getName(), List.of()));
      list.add(record);
      next.put(record.getName(), List.copyOf(list));
      return Map.copyOf(next);
    });
  }

  private void serve() {
    byte[] buffer = new byte[65_535];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        Record question = query.getQuestion();
        if (question != null) {
          queries.computeIfAbsent(key(question.getName(), question.getType()),
              k -> new AtomicInteger()).incrementAndGet();
        }
        if (!answering || question == null) {
          continue;
        }
        byte[] out = answer(query, question).toWire(512);
        socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
        // A malformed query: drop it, as a real server would, and keep serving.
      }
    }
  }

  private Message answer(Message query, Record question) {
    Map<Name, List<Record>> snapshot = records.get();
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    response.addRecord(question, Section.QUESTION);
    List<Record> owned = snapshot.get(question.getName());
    if (owned == null) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      return response;
    }
    for (Record r : owned) {
      if (r.getType() != question.getType()) {
        continue;
      }
      response.addRecord(r, Section.ANSWER);
      if (additional && r instanceof SRVRecord srv) {
        for (Record glue : snapshot.getOrDefault(srv.getTarget(), List.of())) {
          if (glue.getType() == Type.A) {
            response.addRecord(glue, Section.ADDITIONAL);
          }
        }
      }
    }
    return response;
  }

  private static String key(Name name, int type) {
    return name.toString().toLowerCase(Locale.ROOT) + "/" + Type.string(type);
  }

  private static Name name(String name) {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + name, e);
    }
  }
}
