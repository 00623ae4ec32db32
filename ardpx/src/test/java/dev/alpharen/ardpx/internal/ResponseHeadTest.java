package dev.alpharen.ardpx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.util.HeaderMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {
  private final HeaderMap headers = new HeaderMap();
  private final ResponseHead head = new ResponseHead(headers);

  private int parse(String text, boolean headRequest) throws ResponseHead.Malformed {
    ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    headers.clear();
    int end = head.parse(buf, 0, buf.capacity(), headRequest);
    if (end > 0) {
      head.passHeaders();
    }
    return end;
  }

  /** The head the client gets, written in place before the body, or null when it cannot be. */
  private String written(String text) throws ResponseHead.Malformed {
    ByteBuffer buf = ByteBuffer.allocateDirect(text.length());
    buf.put(text.getBytes(StandardCharsets.ISO_8859_1));
    int end = head.parse(buf, 0, buf.position(), false);
    int start = head.writeHead(buf, end);
    if (start < 0) {
      return null;
    }
    byte[] out = new byte[buf.position() - start];
    buf.get(start, out);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  @Test
  void findsTheHeadsEndWhereverTheScratchCopyStopsOrStarts() throws Exception {
    for (int pad = 960; pad < 1100; pad++) {
      for (String eol : new String[] {"\r\n", "\n"}) {
        String head = "HTTP/1.1 200 OK" + eol + "X-Pad: " + "p".repeat(pad) + eol
            + "Content-Length: 2" + eol + eol;
        String whole = head + "ok" + "x".repeat(3000);
        assertEquals(head.length(), parse(whole, false), "pad " + pad);
        assertEquals("p".repeat(pad), headers.getFirst("X-Pad"));
        assertEquals(-1, parse(head.substring(0, head.length() - 1), false), "pad " + pad);
      }
    }
  }

  @Test
  void writesTheNodesHeadLessItsHopByHopHeadersInFrontOfTheBody() throws Exception {
    String text = "HTTP/1.1 200 Fine\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
        + "Cache-Control: no-store\r\nX-Alpharen-Node: n1\r\nContent-Length: 5\r\n"
        + "Upgrade: h2c\r\nDate: Tue, 08 Dec 2026 03:10:31 GMT\r\n\r\nhello";
    assertEquals("HTTP/1.1 200 Fine\r\nCache-Control: no-store\r\nX-Alpharen-Node: n1\r\n"
        + "Content-Length: 5\r\nDate: Tue, 08 Dec 2026 03:10:31 GMT\r\n"
        + "Connection: keep-alive\r\n\r\nhello", written(text));
  }

  @Test
  void writesAnHttp10NodesAnswerAsHttp11WithLoneLineFeedsMadeWhole() throws Exception {
    String text = "HTTP/1.0 404 Not Found\nConnection: keep-alive\nKeep-Alive: timeout=5, max=99"
        + "\nContent-Length: 2\nDate: Tue, 08 Dec 2026 03:10:31 GMT\n\nno";
    assertEquals("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n"
        + "Date: Tue, 08 Dec 2026 03:10:31 GMT\r\nConnection: keep-alive\r\n\r\nno",
        written(text));
  }

  @Test
  void writesTheSpaceBeforeAnEmptyReason() throws Exception {
    String text = "HTTP/1.1 200\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
        + "Date: Tue, 08 Dec 2026 03:10:31 GMT\r\nContent-Length: 2\r\n\r\nok";
    assertEquals("HTTP/1.1 200 \r\nDate: Tue, 08 Dec 2026 03:10:31 GMT\r\nContent-Length: 2\r\n"
        + "Connection: keep-alive\r\n\r\nok", written(text));
  }

  @Test
  void leavesToUndertowWhatItCannotWriteInPlace() throws Exception {
    assertNull(written("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
        "no Date: Undertow adds one");
    assertNull(written("HTTP/1.1 200 OK\r\nConnection: X-Secret\r\nX-Secret: s\r\n"
        + "Content-Length: 2\r\nDate: Tue, 08 Dec 2026 03:10:31 GMT\r\n\r\nok"),
        "a header named in Connection");
    assertNull(written("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
        + "Date: Tue, 08 Dec 2026 03:10:31 GMT\r\n\r\nok"),
        "no room: the node sent no Connection header to make room for ours");
  }

  @Test
  void readsStatusHeadersAndLength() throws Exception {
    String text = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
        + "X-Node: n1\r\n\r\nhello";
    assertEquals(text.indexOf("hello"), parse(text, false));
    assertEquals(200, head.status);
    assertEquals(ResponseHead.Framing.LENGTH, head.framing);
    assertEquals(5, head.contentLength);
    assertTrue(head.reusable);
    assertEquals("text/plain", headers.getFirst("Content-Type"));
    assertEquals("n1", headers.getFirst("x-node"));
    assertNull(headers.getFirst("Content-Length"), "framing is the proxy's to set anew");
  }

  @Test
  void anIncompleteHeadIsReadOnLater() throws Exception {
    assertEquals(-1, parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", false));
    assertEquals(-1, parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r", false));
  }

  @Test
  void acceptsBareLineFeeds() throws Exception {
    String text = "HTTP/1.1 404 Not Found\nContent-Length: 0\n\n";
    assertEquals(text.length(), parse(text, false));
    assertEquals(404, head.status);
    assertEquals(0, head.contentLength);
  }

  @Test
  void dropsHopByHopHeadersAndWhatConnectionNames() throws Exception {
    parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Secret\r\nX-Secret: s\r\n"
        + "Keep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\nTE: trailers\r\n"
        + "Trailer: X-Sum\r\nUpgrade: h2c\r\nX-End: e\r\nContent-Length: 0\r\n\r\n", false);
    for (String hop : new String[] {"Connection", "X-Secret", "Keep-Alive", "Proxy-Authenticate",
        "TE", "Trailer", "Upgrade"}) {
      assertNull(headers.getFirst(hop), hop);
    }
    assertEquals("e", headers.getFirst("X-End"));
    assertTrue(head.reusable);
  }

  @Test
  void knowsHeaderNamesInAnyCaseAndOnlyThose() throws Exception {
    parse("HTTP/1.1 200 OK\r\ncOnTeNt-TyPe: text/plain\r\nCONNECTION: close\r\n"
        + "#onnection: kept\r\nContent-Lengthy: 3\r\ncontent-length: 0\r\n\r\n", false);
    assertEquals("text/plain", headers.getFirst("Content-Type"));
    assertFalse(head.reusable, "CONNECTION is Connection");
    assertEquals(0, head.contentLength);
    assertEquals("kept", headers.getFirst("#onnection"), "a name like Connection's is passed on");
    assertEquals("3", headers.getFirst("Content-Lengthy"));
    assertNull(headers.getFirst("Connection"));
  }

  @Test
  void connectionCloseOrHttp10MeansNoReuse() throws Exception {
    parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false);
    assertFalse(head.reusable);
    parse("HTTP/1.1 200 OK\r\nConnection: X-A, close\r\nContent-Length: 0\r\n\r\n", false);
    assertFalse(head.reusable);
    parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false);
    assertFalse(head.reusable);
  }

  @Test
  void framesEachKindOfBody() throws Exception {
    parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false);
    assertEquals(ResponseHead.Framing.CHUNKED, head.framing);
    assertNull(headers.getFirst("Transfer-Encoding"));
    parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", false);
    assertEquals(ResponseHead.Framing.CLOSE, head.framing);
    assertFalse(head.reusable);
    parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", false);
    assertEquals(ResponseHead.Framing.CLOSE, head.framing);
    assertFalse(head.reusable);
    for (int status : new int[] {204, 304}) {
      parse("HTTP/1.1 " + status + " X\r\nContent-Length: 9\r\n\r\n", false);
      assertEquals(ResponseHead.Framing.NONE, head.framing, "status " + status);
    }
    parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", true);
    assertEquals(ResponseHead.Framing.NONE, head.framing, "an answer to HEAD");
    assertEquals("9", head.lengthValue);
  }

  @Test
  void knowsInterimAnswers() throws Exception {
    parse("HTTP/1.1 100 Continue\r\n\r\n", false);
    assertTrue(head.interim());
    assertEquals(ResponseHead.Framing.NONE, head.framing);
    parse("HTTP/1.1 101 Switching Protocols\r\n\r\n", false);
    assertFalse(head.interim());
  }

  @Test
  void refusesWhatIsNotAnHttpAnswer() {
    assertThrows(ResponseHead.Malformed.class, () -> parse("SSH-2.0-OpenSSH\r\n\r\n", false));
    assertThrows(ResponseHead.Malformed.class, () -> parse("HTTP/1.1 2x0 OK\r\n\r\n", false));
    assertThrows(ResponseHead.Malformed.class, () -> parse("HTTP/1.1 200OK\r\n\r\n", false));
    assertThrows(ResponseHead.Malformed.class,
        () -> parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", false));
    assertThrows(ResponseHead.Malformed.class,
        () -> parse("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", false));
  }

  @Test
  void refusesAmbiguousFraming() {
    assertThrows(ResponseHead.Malformed.class, () -> parse("HTTP/1.1 200 OK\r\n"
        + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", false));
    assertThrows(ResponseHead.Malformed.class, () -> parse("HTTP/1.1 200 OK\r\n"
        + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", false));
    assertThrows(ResponseHead.Malformed.class, () -> parse("HTTP/1.1 200 OK\r\n"
        + "Content-Length: +5\r\n\r\n", false));
    assertThrows(ResponseHead.Malformed.class, () -> parse("HTTP/1.1 200 OK\r\n"
        + "Content-Length: 99999999999999999999\r\n\r\n", false));
  }
}
