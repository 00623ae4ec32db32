package dev.alpharen.arsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class RetryHandOffTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void givesDurableRetriesToRoutesConsumingQueuesOnly() {
    assertTrue(RetryHandOff.consumesQueue("jms:queue:orders?concurrentConsumers=4"));
    assertTrue(RetryHandOff.consumesQueue("jms:orders"));
    assertFalse(RetryHandOff.consumesQueue("jms:topic:prices"), "every subscriber has a copy");
    assertTrue(RetryHandOff.consumesQueue("amqp:queue:orders"));
    assertTrue(RetryHandOff.consumesQueue("amqp:orders"));
    assertFalse(RetryHandOff.consumesQueue("amqp:topic:prices"));
    assertFalse(RetryHandOff.consumesQueue("platform-http:/orders"), "the caller sees the error");
    assertFalse(RetryHandOff.consumesQueue("timer:tick"));
  }

  @Test
  void keepsTheNewestTwentyFailuresInTheHistory() throws Exception {
    String history = null;
    for (int run = 0; run < 25; run++) {
      history = RetryHandOff.history(history, 1_000L + run, run, "down " + run);
    }

    JsonNode list = JSON.readTree(history);
    assertEquals(20, list.size());
    assertEquals("down 5", list.get(0).get("error").asText());
    assertEquals(24, list.get(19).get("durableRun").asInt());
    assertEquals(1_024L, list.get(19).get("at").asLong());
    assertEquals(1, JSON.readTree(RetryHandOff.history("not json", 1, 0, "x")).size(),
        "a mangled history starts again rather than failing the hand-off");
  }

  @Test
  void describesAnErrorByTypeAndMessageWithoutAStack() {
    assertEquals("ConnectException: Connection refused",
        RetryHandOff.describe(new ConnectException("Connection refused")));
    assertEquals("unknown error", RetryHandOff.describe(null));
    assertEquals(501, RetryHandOff.describe(new IllegalStateException("x".repeat(600))).length());
  }
}
