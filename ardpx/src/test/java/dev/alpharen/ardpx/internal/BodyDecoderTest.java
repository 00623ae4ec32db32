package dev.alpharen.ardpx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {
  private final BodyDecoder decoder = new BodyDecoder();

  /** Decodes {@code wire} in reads of {@code step} bytes and returns the payload. */
  private String decode(String wire, int step) throws ResponseHead.Malformed {
    StringBuilder payload = new StringBuilder();
    byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
    for (int at = 0; at < bytes.length; at += step) {
      int n = Math.min(step, bytes.length - at);
      ByteBuffer buf = ByteBuffer.allocate(n + 3);
      buf.put(0, bytes, at, n); // at an offset of 0; payload is moved to the front of the read
      int end = decoder.decode(buf, 0, n);
      byte[] out = new byte[end];
      buf.get(0, out);
      payload.append(new String(out, StandardCharsets.ISO_8859_1));
    }
    return payload.toString();
  }

  @Test
  void aLengthEndsTheBodyAndFlagsWhatFollows() throws Exception {
    decoder.start(ResponseHead.Framing.LENGTH, 5);
    assertEquals("hello", decode("hello", 2));
    assertTrue(decoder.done());
    assertFalse(decoder.excess());
    decoder.start(ResponseHead.Framing.LENGTH, 5);
    assertEquals("hello", decode("hello!", 6));
    assertTrue(decoder.excess());
  }

  @Test
  void anEmptyBodyIsDoneAtOnce() {
    decoder.start(ResponseHead.Framing.LENGTH, 0);
    assertTrue(decoder.done());
    decoder.start(ResponseHead.Framing.NONE, -1);
    assertTrue(decoder.done());
  }

  @Test
  void decodesChunksInAnyReadSizes() throws Exception {
    String wire = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n";
    for (int step = 1; step <= wire.length(); step++) {
      decoder.start(ResponseHead.Framing.CHUNKED, -1);
      assertEquals("hello world", decode(wire, step), "reads of " + step);
      assertTrue(decoder.done(), "reads of " + step);
      assertFalse(decoder.excess(), "reads of " + step);
    }
  }

  @Test
  void bytesAfterTheLastChunkAreExcess() throws Exception {
    decoder.start(ResponseHead.Framing.CHUNKED, -1);
    assertEquals("abc", decode("3\r\nabc\r\n0\r\n\r\nHTTP/1.1", 100));
    assertTrue(decoder.excess());
  }

  @Test
  void refusesBrokenChunks() {
    decoder.start(ResponseHead.Framing.CHUNKED, -1);
    assertThrows(ResponseHead.Malformed.class, () -> decode("zz\r\n", 10));
    decoder.start(ResponseHead.Framing.CHUNKED, -1);
    assertThrows(ResponseHead.Malformed.class, () -> decode("\r\n", 10));
    decoder.start(ResponseHead.Framing.CHUNKED, -1);
    assertThrows(ResponseHead.Malformed.class, () -> decode("3\r\nabcX", 10));
  }

  @Test
  void theConnectionsEndEndsOnlyAnUnframedBody() throws Exception {
    decoder.start(ResponseHead.Framing.CLOSE, -1);
    assertEquals("all of it", decode("all of it", 4));
    assertFalse(decoder.done());
    assertTrue(decoder.end());
    decoder.start(ResponseHead.Framing.LENGTH, 10);
    decode("short", 5);
    assertFalse(decoder.end(), "five of ten bytes: the body broke off");
    decoder.start(ResponseHead.Framing.CHUNKED, -1);
    decode("5\r\nhel", 10);
    assertFalse(decoder.end());
  }
}
