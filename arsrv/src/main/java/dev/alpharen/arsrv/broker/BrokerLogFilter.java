package dev.alpharen.arsrv.broker;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps Artemis's routine chatter out of the node log: the backup-request quorum votes (AMQ221060 to
 * AMQ221066 about a RequestBackup vote, and AMQ221084) that brokers repeat every few seconds while
 * one of them looks for a peer to back it up, for example on a one-node cluster. Failover votes
 * pass. Everything else passes.
 */
public final class BrokerLogFilter extends Filter<ILoggingEvent> {
  @Override
  public FilterReply decide(ILoggingEvent event) {
    String message = event.getFormattedMessage();
    if (message == null || !message.startsWith("AMQ2210")) {
      return FilterReply.NEUTRAL;
    }
    boolean backupRequest = message.contains("RequestBackup")
        || message.startsWith("AMQ221084");
    return backupRequest ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
