package dev.alpharen.ardpx.internal;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

/**
 * One request on its way through {@link NodeRelay}: choose a node, connect or take an idle
 * connection, send the head, read the answer's head, pass its body on, give the connection back.
 * Every step runs on the exchange's I/O thread, driven by the node's and the client's sockets
 * and by the thread's deadlines. Used by its I/O thread only.
 */
final class Relay extends Deadlines.Entry implements Runnable, NodeConnections.Reader,
    ChannelListener<StreamSinkChannel>, IoCallback {
  private static final int CONNECTING = 0;
  /** Sending the request or reading the answer's head: the node's bytes are read either way. */
  private static final int HEAD = 2;
  private static final int BODY = 3;
  private static final int DONE = 4;

  private final HttpServerExchange exchange;
  private final XnioIoThread thread;
  private final boolean headRequest;
  private final ResponseHead response;
  private final BodyDecoder body = new BodyDecoder();
  private final Deadlines deadlines;
  private final NodeProxyClient nodes;
  private final int maxAttempts;
  private final long timeoutMs;
  private final RelayBuffer reads;
  private NodeProxyClient.Attempts attempts;
  private NodeConnections.Connection node;
  /** The read buffer while the relay holds it, else null. */
  private ByteBuffer buf;
  /** What the node's socket did not take of the request at once. */
  private ByteBuffer unsent;
  private StreamSinkChannel out;
  private int phase = CONNECTING;
  private int connects;
  private boolean nodePaused;

  /**
   * @param nodes the node choice and accounting
   * @param deadlines the deadlines of the exchange's I/O thread
   * @param maxAttempts how many nodes the request may be sent to
   * @param timeoutMs the request timeout, for the 504's message
   */
  Relay(HttpServerExchange exchange, NodeProxyClient nodes, Deadlines deadlines,
      int maxAttempts, long timeoutMs) {
    this.exchange = exchange;
    this.nodes = nodes;
    this.deadlines = deadlines;
    this.maxAttempts = maxAttempts;
    this.timeoutMs = timeoutMs;
    this.reads = new RelayBuffer(exchange);
    this.thread = exchange.getIoThread();
    this.headRequest = exchange.getRequestMethod().equals(Methods.HEAD);
    this.response = new ResponseHead(exchange.getResponseHeaders());
  }

  @Override
  public void run() {
    attempts = nodes.attempts(exchange);
    deadlines.arm(this);
    nextNode();
  }

  private void nextNode() {
    if (attempts.count() >= maxAttempts) {
      nodes.failed(attempts);
      giveUp();
      return;
    }
    NodeProxyClient.Target target = nodes.next(exchange, attempts, null);
    if (target == null) {
      giveUp();
      return;
    }
    NodeConnections.Connection idle = target.relayed.take(thread);
    if (idle != null) {
      sendOn(idle);
    } else {
      int connect = ++connects;
      target.relayed.open(thread, target.address, fresh -> connected(connect, fresh),
          () -> connectFailed(connect));
    }
  }

  private void connected(int connect, NodeConnections.Connection fresh) {
    if (connect != connects || phase == DONE) {
      fresh.release(); // too late for this request: the next one may use it
    } else {
      sendOn(fresh);
    }
  }

  private void connectFailed(int connect) {
    if (connect != connects || phase == DONE) {
      return;
    }
    attempts.connectFailed();
    nextNode();
  }

  private void sendOn(NodeConnections.Connection connection) {
    node = connection;
    node.carry(this);
    attempts.connected();
    phase = HEAD;
    ByteBuffer request = RequestHead.encode(exchange);
    StreamSinkChannel sink = node.stream.getSinkChannel();
    try {
      while (request.hasRemaining() && sink.write(request) > 0) {
        continue; // until the socket takes no more
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
  }

  /** Writes what the node's socket did not take at once, as it can take it. */
  private void sendRest(StreamSinkChannel sink) {
    try {
      if (unsent != null && sink.write(unsent) >= 0 && unsent.hasRemaining()) {
        return;
      }
    } catch (IOException e) {
      if (phase == HEAD) {
        sink.suspendWrites();
        broken();
        return;
      }
    }
    unsent = null;
    sink.suspendWrites();
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
        abort(true);
        return;
      }
      writeOut(from, payloadEnd);
    }
  }

  private void readHead(ByteBuffer b) {
    int end;
    try {
      end = response.parseFinal(b, headRequest);
    } catch (ResponseHead.Malformed e) {
      badGateway(e.getMessage());
      return;
    }
    if (end < 0) {
      if (!b.hasRemaining() && !grow()) {
        badGateway("the node's answer headers are over " + RelayBuffer.MAX_HEAD + " bytes");
      }
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
    response.passHeaders();
    if (response.framing == ResponseHead.Framing.LENGTH) {
      exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, response.contentLength);
    }
    out = exchange.getResponseChannel();
    out.getWriteSetter().set(this);
    writeOut(end, payloadEnd);
  }

  /**
   * The whole answer is in the buffer: one write to the client, the connection free. A client
   * that keeps its HTTP/1.1 connection gets the node's head as it came, less its hop-by-hop
   * headers, written in front of the body in the same buffer; otherwise Undertow writes the
   * head from the response headers.
   */
  private void answerWhole(int from, int to) {
    if (response.framing == ResponseHead.Framing.NONE) {
      response.passHeaders();
      if (headRequest && response.lengthValue != null) {
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, response.lengthValue);
      }
      complete();
      return;
    }
    releaseNode(response.reusable && !body.excess() && unsent == null);
    finish();
    ByteBuffer b = buf;
    int start = WholeAnswer.fits(exchange) ? response.writeHead(b, from) : -1;
    if (start >= 0) {
      Connectors.updateResponseBytesSent(exchange, to - from);
      b.limit(to).position(start);
      boolean written = WholeAnswer.write(exchange, b);
      releaseBuffer();
      if (written) {
        Connectors.terminateResponse(exchange);
      }
      return;
    }
    response.passHeaders();
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
          nodePaused = true; // not read from until the client took this
          node.stream.getSourceChannel().suspendReads();
          out.resumeWrites();
          return;
        }
      }
    } catch (IOException e) {
      abort(false);
      return;
    }
    b.clear();
    if (body.done()) {
      complete();
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

  /** The body was passed on whole: the connection goes back if it may, the exchange ends. */
  private void complete() {
    releaseNode(response.reusable && !body.excess() && unsent == null);
    finish();
    releaseBuffer();
    exchange.endExchange();
  }

  /** The node closed its connection (or it broke). */
  private void nodeEnded() {
    if (phase == BODY && body.end()) {
      node.close();
      node = null;
      buf.flip(); // nothing was read: an empty payload ends the body
      drain();
    } else if (phase == BODY) {
      abort(true);
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

  /**
   * The answer cannot be finished: the client's connection is closed to say so. When the node
   * broke off half-way, that counts against it; when the client went away, it does not.
   */
  private void abort(boolean nodeBrokeOff) {
    releaseNode(false);
    if (nodeBrokeOff) {
      nodes.failed(attempts);
    }
    finish();
    releaseBuffer();
    IoUtils.safeClose(exchange.getConnection());
  }

  private void badGateway(String why) {
    answer(502, why);
  }

  private void giveUp() {
    answer(503, "no node could take the request (" + attempts.count() + " tried)");
  }

  @Override
  void expire() {
    if (phase == DONE) {
      return;
    }
    if (exchange.isResponseStarted() || out != null) {
      abort(false);
    } else {
      answer(504, "the node did not answer within " + timeoutMs
          + " ms (proxy.requestTimeout)");
    }
  }

  /** ARDPX answers itself, in place of the node: the node's headers so far are dropped. */
  private void answer(int status, String why) {
    releaseNode(false);
    exchange.getResponseHeaders().clear();
    finish();
    releaseBuffer();
    JsonError.send(exchange, status, why);
  }

  private void finish() {
    phase = DONE;
    deadlines.disarm(this);
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
    buf = reads.get();
    return buf;
  }

  private boolean grow() {
    boolean grown = reads.grow();
    buf = reads.get();
    return grown;
  }

  private void releaseBuffer() {
    reads.release();
    buf = null;
  }
}
