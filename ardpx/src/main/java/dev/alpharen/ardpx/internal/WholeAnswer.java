package dev.alpharen.ardpx.internal;

import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Protocols;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.conduits.ConduitStreamSinkChannel;

/**
 * An answer that arrived whole, head and body, written by the relay straight to its client's
 * socket, past Undertow's response conduit. What a lagging client's socket does not take at once
 * waits in a copy of its own, written as the socket can take it, so that the relay's read buffer
 * is free at once. Used by the exchange's I/O thread only.
 */
final class WholeAnswer implements ChannelListener<ConduitStreamSinkChannel> {
  private final HttpServerExchange exchange;
  private final ByteBuffer rest;

  private WholeAnswer(HttpServerExchange exchange, ByteBuffer rest) {
    this.exchange = exchange;
    this.rest = rest;
  }

  /**
   * Whether the client's connection stays open after this answer, on HTTP/1.1 over a plain or
   * TLS socket of Undertow's, so that the answer may be written to it as it is.
   */
  static boolean fits(HttpServerExchange exchange) {
    return exchange.getConnection() instanceof HttpServerConnection
        && exchange.isPersistent() && exchange.getProtocol().equals(Protocols.HTTP_1_1);
  }

  /**
   * Writes {@code answer} to the client. Either way {@code answer}'s buffer is free on return.
   *
   * @return true when it was written whole (or the connection broke and is closed): the caller
   *     ends the exchange with {@link Connectors#terminateResponse} once it has freed the buffer;
   *     false when the rest waits in a copy, and the exchange ends once the client has taken it
   */
  static boolean write(HttpServerExchange exchange, ByteBuffer answer) {
    ConduitStreamSinkChannel sink = Connectors.getConduitSinkChannel(exchange);
    try {
      while (answer.hasRemaining()) {
        if (sink.write(answer) == 0) {
          ByteBuffer rest = ByteBuffer.allocate(answer.remaining()).put(answer).flip();
          sink.getWriteSetter().set(new WholeAnswer(exchange, rest));
          sink.resumeWrites();
          return false;
        }
      }
    } catch (IOException e) {
      IoUtils.safeClose(exchange.getConnection());
    }
    return true;
  }

  /** The client's socket can take more of the rest. */
  @Override
  public void handleEvent(ConduitStreamSinkChannel sink) {
    try {
      while (rest.hasRemaining()) {
        if (sink.write(rest) == 0) {
          return;
        }
      }
    } catch (IOException e) {
      IoUtils.safeClose(exchange.getConnection());
    }
    sink.suspendWrites();
    sink.getWriteSetter().set(null);
    Connectors.terminateResponse(exchange);
  }
}
