package dev.alpharen.arsrv.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.activemq.artemis.api.core.ActiveMQAddressFullException;
import org.apache.activemq.artemis.api.core.ActiveMQDisconnectedException;
import org.junit.jupiter.api.Test;

class BrokerLogFilterTest {
  private final BrokerLogFilter filter = new BrokerLogFilter();
  private final LoggerContext context = new LoggerContext();

  private FilterReply decide(String message, Throwable thrown) {
    LoggingEvent event = new LoggingEvent(getClass().getName(),
        context.getLogger("org.apache.activemq.artemis.core.server"), Level.ERROR, message,
        thrown, null);
    return filter.decide(event);
  }

  @Test
  void dropsTheErrorLoggedForEverySendAFullQueueRefused() {
    assertEquals(FilterReply.DENY, decide("AMQ224016: Caught exception",
        new ActiveMQAddressFullException("AMQ229102: Address \"orders\" is full.")));
  }

  @Test
  void keepsTheSameErrorForAnyOtherException() {
    assertEquals(FilterReply.NEUTRAL, decide("AMQ224016: Caught exception",
        new ActiveMQDisconnectedException("gone")));
    assertEquals(FilterReply.NEUTRAL, decide("AMQ224016: Caught exception", null));
  }

  @Test
  void dropsBackupRequestVotesAndKeepsFailoverVotes() {
    assertEquals(FilterReply.DENY, decide("AMQ221063: ... RequestBackup vote", null));
    assertEquals(FilterReply.NEUTRAL, decide("AMQ221063: ... failover vote", null));
    assertEquals(FilterReply.NEUTRAL, decide("AMQ221000: broker starting", null));
  }
}
