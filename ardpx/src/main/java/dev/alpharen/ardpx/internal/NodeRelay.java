package dev.alpharen.ardpx.internal;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.NetworkUtils;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

/**
 * ARDPX's own path to the nodes for the requests that are most of its traffic: GET, HEAD,
 * OPTIONS and DELETE without a body. Each runs on its client's I/O thread from start to end,
 * over a keep-alive connection of that thread's ({@link NodeConnections}): the request goes out
 * in one write, the answer comes back on reads that stay armed, and an answer that arrived whole
 * goes to the client in one write from the buffer it was read into. Undertow's proxy handler
 * ({@code fallback}) carries everything else: requests with a body, and any request not on an
 * I/O thread.
 *
 * <p>It keeps the proxy handler's contract: the same X-Forwarded-For/-Proto/-Server/-Host/-Port
 * headers, the same node choice and accounting ({@link NodeProxyClient}: picker, ejector,
 * meters), a request that could not connect or whose connection broke before any answer is
 * tried on the next node (up to {@code connectRetries} more), 503 when no node is left, 504 past
 * the request timeout, and a client connection closed when an answer breaks off half-way. An
 * answer it cannot read as HTTP/1.x gets 502. Thread-safe.
 */
public final class NodeRelay implements HttpHandler {
  private static final Set<HttpString> RELAYED = Set.of(Methods.GET, Methods.HEAD,
      Methods.OPTIONS, Methods.DELETE);
  /** Headers the relay writes itself, in place of any the client sent. */
  private static final Set<HttpString> OWN = Set.of(Headers.X_FORWARDED_FOR,
      Headers.X_FORWARDED_PROTO, Headers.X_FORWARDED_SERVER, Headers.X_FORWARDED_HOST,
      Headers.X_FORWARDED_PORT);
  /** Node sockets send each request at once: a proxy's writes are whole requests. */
  private static final OptionMap NODE_SOCKET = OptionMap.create(Options.TCP_NODELAY, true);
  /** The buffer an answer's head may grow to when it does not fit a pooled one. */
  private static final int MIN_HEAD = 16 * 1024;
  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_REQUEST_HEAD = 1024 * 1024;
  private static final int CONNECTING = 0;
  private static final int SENDING = 1;
  private static final int HEAD = 2;
  private static final int BODY = 3;
  private static final int DONE = 4;

  /**
   * Where each I/O thread writes a request's head: the write to the node takes it at once (or
   * the rest is copied), so the buffer is free again before the next request on the thread.
   * Read buffers come from Undertow's pool, only while an answer is being read and passed on.
   */
  private static final ThreadLocal<ByteBuffer> SCRATCH =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(16 * 1024));
  /**
   * Each I/O thread's own read buffer, lent to one request at a time from the node's first
   * bytes until its answer is written: mostly within one event, so one buffer serves nearly all
   * requests, and Undertow's pool (whose every use takes a lock) lends the rest.
   */
  private static final ThreadLocal<ByteBuffer[]> READ_BUFFER =
      ThreadLocal.withInitial(() -> new ByteBuffer[] {ByteBuffer.allocateDirect(16 * 1024)});

  private final NodeProxyClient nodes;
  private final HttpHandler fallback;
  private final long timeoutMs;
  private final int maxAttempts;
  /** The deadlines of each I/O thread's requests; only I/O threads relay. */
  private final ThreadLocal<Deadlines> deadlines;

  /**
   * @param nodes the node choice and accounting, shared with {@code fallback}
   * @param fallback Undertow's proxy handler, for what the relay does not carry
   * @param requestTimeout past this a request gets 504
   * @param connectRetries how many other nodes a request is tried on
   */
  public NodeRelay(NodeProxyClient nodes, HttpHandler fallback, Duration requestTimeout,
      int connectRetries) {
    this.nodes = nodes;
    this.fallback = fallback;
    this.timeoutMs = requestTimeout.toMillis();
    this.maxAttempts = 1 + connectRetries;
    long timeoutNanos = requestTimeout.toNanos();
    this.deadlines = ThreadLocal.withInitial(() -> new Deadlines(
        (XnioIoThread) Thread.currentThread(), timeoutNanos, System::nanoTime));
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (!exchange.isInIoThread() || !exchange.isRequestComplete()
        || !RELAYED.contains(exchange.getRequestMethod())) {
      fallback.handleRequest(exchange);
      return;
    }
    exchange.dispatch(SameThreadExecutor.INSTANCE, new Relay(exchange));
  }

  /** One request on its way through the relay. Used by its I/O thread only. */
  private final class Relay extends Deadlines.Entry implements Runnable, NodeConnections.Reader,
      ChannelListener<StreamSinkChannel>, IoCallback {
    private final HttpServerExchange exchange;
    private final XnioIoThread thread;
    private final boolean headRequest;
    private final ResponseHead response;
    private final BodyDecoder body = new BodyDecoder();
    private NodeProxyClient.Attempts attempts;
    private NodeProxyClient.Target target;
    private NodeConnections.Connection node;
    private Deadlines deadlines;
    private PooledByteBuffer pooled;
    /** The thread's own read buffer's slot, when {@link #buf} is that buffer. */
    private ByteBuffer[] lentFrom;
    private ByteBuffer buf;
    /** What the node's socket did not take of the request at once. */
    private ByteBuffer unsent;
    private StreamSinkChannel out;
    private int phase = CONNECTING;
    private int connects;
    private boolean nodePaused;

    Relay(HttpServerExchange exchange) {
      this.exchange = exchange;
      this.thread = exchange.getIoThread();
      this.headRequest = exchange.getRequestMethod().equals(Methods.HEAD);
      this.response = new ResponseHead(exchange.getResponseHeaders());
    }

    @Override
    public void run() {
      keepReadingClient();
      attempts = nodes.attempts(exchange);
      deadlines = NodeRelay.this.deadlines.get();
      deadlines.arm(this);
      nextNode();
    }

    /**
     * Undertow stops reading a client's connection when a bodiless request has been read, and
     * starts again when it is answered. Around a wait for the node, that is two epoll_ctl calls
     * per request (the selector drops the socket and adds it back). Reading on instead is safe:
     * whatever arrives meanwhile (a pipelined request, the end of the connection) wakes
     * Undertow's read listener, which then stops reading until this request is done. Plain HTTP
     * only: TLS reads are Undertow's to manage.
     */
    private void keepReadingClient() {
      if (exchange.getConnection() instanceof HttpServerConnection http
          && http.getSslSessionInfo() == null) {
        http.getChannel().getSourceChannel().resumeReads();
      }
    }

    private void nextNode() {
      if (attempts.count() >= maxAttempts) {
        nodes.failed(attempts);
        giveUp();
        return;
      }
      target = nodes.next(exchange, attempts, null);
      if (target == null) {
        giveUp();
        return;
      }
      node = target.relayed.take(thread);
      if (node == null) {
        connect(target);
      } else {
        node.carry(this);
        attempts.connected();
        send();
      }
    }

    private void connect(NodeProxyClient.Target to) {
      int connect = ++connects;
      IoFuture<StreamConnection> opening = thread.openStreamConnection(to.address,
          stream -> connected(connect, to, stream), NODE_SOCKET);
      opening.addNotifier((future, ignored) -> {
        if (future.getStatus() == IoFuture.Status.FAILED) {
          if (Thread.currentThread() == thread) {
            connectFailed(connect);
          } else {
            thread.execute(() -> connectFailed(connect));
          }
        }
      }, null);
    }

    private void connected(int connect, NodeProxyClient.Target to, StreamConnection stream) {
      NodeConnections.Connection fresh = to.relayed.wrap(stream);
      if (connect != connects || phase == DONE) {
        fresh.release(); // too late for this request: the next one may use it
        return;
      }
      node = fresh;
      node.carry(this);
      attempts.connected();
      send();
    }

    private void connectFailed(int connect) {
      if (connect != connects || phase == DONE) {
        return;
      }
      attempts.connectFailed();
      nextNode();
    }

    private void send() {
      phase = SENDING;
      ByteBuffer request = encodeRequest();
      StreamSinkChannel sink = node.stream.getSinkChannel();
      try {
        while (request.hasRemaining()) {
          if (sink.write(request) == 0) {
            break;
          }
        }
      } catch (IOException e) {
        broken();
        return;
      }
      if (request.hasRemaining()) {
        unsent = ByteBuffer.allocate(request.remaining()).put(request).flip();
        sink.getWriteSetter().set(this::sendRest);
        sink.resumeWrites();
      }
      phase = HEAD;
    }

    private void sendRest(StreamSinkChannel sink) {
      try {
        if (unsent != null) {
          sink.write(unsent);
          if (unsent.hasRemaining()) {
            return;
          }
        }
        unsent = null;
        sink.suspendWrites();
      } catch (IOException e) {
        sink.suspendWrites();
        if (phase == HEAD) {
          broken();
        }
      }
    }

    @Override
    public void nodeReadable() {
      if ((phase != HEAD && phase != BODY) || nodePaused) {
        return; // the request is not reading (a paused node is not read from)
      }
      ByteBuffer b = buffer();
      int read;
      try {
        read = node.stream.getSourceChannel().read(b);
      } catch (IOException e) {
        read = -1;
      }
      if (read == 0) {
        return;
      }
      if (read < 0) {
        nodeEnded();
      } else if (phase == HEAD) {
        readHead(b);
      } else {
        int from = 0;
        int to = b.position();
        int payloadEnd;
        try {
          payloadEnd = body.decode(b, from, to);
        } catch (ResponseHead.Malformed e) {
          brokeOff();
          return;
        }
        writeOut(from, payloadEnd);
      }
    }

    private void readHead(ByteBuffer b) {
      int end;
      try {
        end = response.parse(b, 0, b.position(), headRequest);
        while (end > 0 && response.interim()) {
          exchange.getResponseHeaders().clear();
          int rest = b.position() - end;
          for (int i = 0; i < rest; i++) {
            b.put(i, b.get(end + i));
          }
          b.position(rest);
          end = response.parse(b, 0, rest, headRequest);
        }
      } catch (ResponseHead.Malformed e) {
        badGateway(e.getMessage());
        return;
      }
      if (end < 0) {
        if (!b.hasRemaining() && !grow()) {
          badGateway("the node's answer headers are over " + MAX_HEAD + " bytes");
        }
        return;
      }
      if (response.status == 101) {
        badGateway("the node switched protocols, which ARDPX does not relay");
        return;
      }
      phase = BODY;
      exchange.setStatusCode(response.status);
      body.start(response.framing, response.contentLength);
      int to = b.position();
      int payloadEnd;
      try {
        payloadEnd = body.decode(b, end, to);
      } catch (ResponseHead.Malformed e) {
        badGateway(e.getMessage());
        return;
      }
      if (body.done()) {
        answerWhole(end, payloadEnd);
        return;
      }
      if (response.framing == ResponseHead.Framing.LENGTH) {
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, response.contentLength);
      }
      out = exchange.getResponseChannel();
      out.getWriteSetter().set(this);
      writeOut(end, payloadEnd);
    }

    /** The whole answer is in the buffer: one write to the client, the connection free. */
    private void answerWhole(int from, int to) {
      releaseNode(response.reusable && !body.excess() && unsent == null);
      finish();
      if (response.framing == ResponseHead.Framing.NONE) {
        if (headRequest && response.lengthValue != null) {
          exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, response.lengthValue);
        }
        releaseBuffer();
        exchange.endExchange();
        return;
      }
      ByteBuffer b = buf;
      b.limit(to).position(from);
      exchange.setResponseContentLength(to - from);
      exchange.getResponseSender().send(b, this);
    }

    private void writeOut(int from, int to) {
      buf.limit(to).position(from);
      drain();
    }

    /** Writes the payload in the buffer to the client; pauses the node while the client lags. */
    private void drain() {
      ByteBuffer b = buf;
      try {
        while (b.hasRemaining()) {
          if (out.write(b) == 0) {
            pauseNode();
            out.resumeWrites();
            return;
          }
        }
      } catch (IOException e) {
        clientGone();
        return;
      }
      b.clear();
      if (body.done()) {
        releaseNode(response.reusable && !body.excess() && unsent == null);
        finish();
        releaseBuffer();
        exchange.endExchange();
      } else if (nodePaused) {
        nodePaused = false;
        node.stream.getSourceChannel().resumeReads();
      }
    }

    /** The client's socket can take more. */
    @Override
    public void handleEvent(StreamSinkChannel channel) {
      channel.suspendWrites();
      if (phase == BODY) {
        drain();
      }
    }

    private void pauseNode() {
      if (!nodePaused) {
        nodePaused = true;
        node.stream.getSourceChannel().suspendReads();
      }
    }

    /** The node closed its connection (or it broke). */
    private void nodeEnded() {
      if (phase == BODY && body.end()) {
        node.close();
        node = null;
        buf.flip(); // nothing was read: an empty payload ends the body
        drain();
      } else if (phase == BODY) {
        brokeOff();
      } else {
        broken();
      }
    }

    /** The connection broke before any answer: the request is tried on the next node. */
    private void broken() {
      node.close();
      node = null;
      unsent = null;
      releaseBuffer();
      phase = CONNECTING;
      nextNode();
    }

    /** The answer broke off half-way: the client's connection is closed to say so. */
    private void brokeOff() {
      node.close();
      node = null;
      nodes.failed(attempts);
      finish();
      releaseBuffer();
      IoUtils.safeClose(exchange.getConnection());
    }

    private void clientGone() {
      releaseNode(false);
      finish();
      releaseBuffer();
      IoUtils.safeClose(exchange.getConnection());
    }

    private void badGateway(String why) {
      releaseNode(false);
      exchange.getResponseHeaders().clear();
      answer(502, why);
    }

    private void giveUp() {
      exchange.getResponseHeaders().clear();
      answer(503, "no node could take the request (" + attempts.count() + " tried)");
    }

    @Override
    void expire() {
      if (phase == DONE) {
        return;
      }
      releaseNode(false);
      if (exchange.isResponseStarted() || out != null) {
        finish();
        releaseBuffer();
        IoUtils.safeClose(exchange.getConnection());
      } else {
        exchange.getResponseHeaders().clear();
        answer(504, "the node did not answer within " + timeoutMs
            + " ms (proxy.requestTimeout)");
      }
    }

    private void answer(int status, String why) {
      finish();
      releaseBuffer();
      exchange.setStatusCode(status);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
      exchange.getResponseSender().send("{\"error\":\"" + why.replace("\\", "\\\\")
          .replace("\"", "\\\"") + "\"}");
    }

    private void finish() {
      phase = DONE;
      if (deadlines != null) {
        deadlines.disarm(this);
      }
    }

    private void releaseNode(boolean reusable) {
      if (node != null) {
        if (reusable && !nodePaused) {
          node.release();
        } else {
          node.close();
        }
        node = null;
      }
    }

    @Override
    public void onComplete(HttpServerExchange done, Sender sender) {
      releaseBuffer();
      done.endExchange();
    }

    @Override
    public void onException(HttpServerExchange done, Sender sender, IOException exception) {
      releaseBuffer();
      IoUtils.safeClose(done.getConnection());
      done.endExchange();
    }

    private ByteBuffer buffer() {
      if (buf == null) {
        ByteBuffer[] slot = READ_BUFFER.get();
        if (slot[0] != null) {
          buf = slot[0];
          slot[0] = null;
          lentFrom = slot;
        } else {
          pooled = exchange.getConnection().getByteBufferPool().allocate();
          buf = pooled.getBuffer();
        }
      }
      return buf;
    }

    /** A larger buffer for a head that does not fit, with what was read so far; false at most. */
    private boolean grow() {
      if (buf.capacity() >= MAX_HEAD) {
        return false;
      }
      ByteBuffer larger = ByteBuffer.allocate(Math.min(MAX_HEAD, Math.max(MIN_HEAD,
          buf.capacity() * 4)));
      larger.put(buf.flip());
      releaseBuffer();
      buf = larger;
      return true;
    }

    private void releaseBuffer() {
      if (lentFrom != null) {
        lentFrom[0] = buf.clear();
        lentFrom = null;
      } else if (pooled != null) {
        pooled.close();
        pooled = null;
      }
      buf = null;
    }

    /** The request's head for the node, ready to write, in the thread's scratch buffer. */
    private ByteBuffer encodeRequest() {
      ByteBuffer b = SCRATCH.get();
      for (int size = b.capacity(); ; size *= 4) {
        try {
          b.clear();
          encode(b);
          return b.flip();
        } catch (BufferOverflowException e) {
          if (size > MAX_REQUEST_HEAD) {
            throw e;
          }
          b = ByteBuffer.allocate(size * 4);
        }
      }
    }

    private void encode(ByteBuffer b) {
      exchange.getRequestMethod().appendTo(b);
      b.put((byte) ' ');
      String uri = exchange.getRequestURI();
      if (exchange.isHostIncludedInRequestURI()) {
        int authority = uri.indexOf("//");
        int path = authority < 0 ? -1 : uri.indexOf('/', authority + 2);
        uri = path < 0 ? "/" : uri.substring(path);
      }
      latin1(b, uri);
      String query = exchange.getQueryString();
      if (!query.isEmpty()) {
        b.put((byte) '?');
        latin1(b, query);
      }
      latin1(b, " HTTP/1.1\r\n");
      for (HeaderValues values : exchange.getRequestHeaders()) {
        HttpString name = values.getHeaderName();
        if (OWN.contains(name)) {
          continue;
        }
        for (int i = 0; i < values.size(); i++) {
          header(b, name, values.get(i));
        }
      }
      SocketAddress source = exchange.getSourceAddress();
      header(b, Headers.X_FORWARDED_FOR, source instanceof InetSocketAddress inet
          ? inet.getHostString() : "localhost");
      header(b, Headers.X_FORWARDED_PROTO,
          exchange.getRequestScheme().equals("https") ? "https" : "http");
      String hostName = exchange.getHostName();
      header(b, Headers.X_FORWARDED_SERVER, hostName);
      if (hostName != null) {
        header(b, Headers.X_FORWARDED_HOST, NetworkUtils.formatPossibleIpv6Address(hostName));
      }
      header(b, Headers.X_FORWARDED_PORT, Integer.toString(exchange.getHostPort()));
      b.put((byte) '\r').put((byte) '\n');
    }
  }

  private static void header(ByteBuffer b, HttpString name, String value) {
    name.appendTo(b);
    b.put((byte) ':').put((byte) ' ');
    latin1(b, value == null ? "" : value);
    b.put((byte) '\r').put((byte) '\n');
  }

  private static void latin1(ByteBuffer b, String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      b.put((byte) s.charAt(i));
    }
  }
}
