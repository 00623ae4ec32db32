package dev.alpharen.arsrv.broker;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps Artemis's routine chatter out of the node log:
 * <ul>
 *   <li>the backup-request quorum votes (AMQ221060 to AMQ221066 about a RequestBackup vote, and
 *       AMQ221084) that brokers repeat every few seconds while one of them looks for a peer to back
 *       it up, for example on a one-node cluster (failover votes pass);
 *   <li>the ERROR with a stack trace (AMQ224016 with {@code ActiveMQAddressFullException}) that
 *       Artemis logs for every send a full {@code FAIL} queue refuses: that is back-pressure, not a
 *       fault; the sender is told, and the refusals are counted per integration (outcome
 *       {@code refused}). Under overload there are thousands a second.
 * </ul>
 * Everything else passes. Thread-safe.
 */
public final class BrokerLogFilter extends Filter<ILoggingEvent> {
  private static final String ADDRESS_FULL =
      "org.apache.activemq.artemis.api.core.ActiveMQAddressFullException";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (message == null) {
      return FilterReply.NEUTRAL;
    }
    if (message.startsWith("AMQ224016")) {
      IThrowableProxy thrown = event.getThrowableProxy();
      return thrown != null && ADDRESS_FULL.equals(thrown.getClassName()) ? FilterReply.DENY
          : FilterReply.NEUTRAL;
    }
    if (!message.startsWith("AMQ2210")) {
      return FilterReply.NEUTRAL;
    }
    boolean backupRequest = message.contains("RequestBackup")
        || message.startsWith("AMQ221084");
    return backupRequest ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
