package dev.alpharen.arsrv.runtime;

import java.util.HashSet;
import java.util.Set;
import org.apache.activemq.artemis.api.core.ActiveMQAddressFullException;

/** Recognises a send that a full queue refused, however the client wrapped it. */
final class Backpressure {
  /** What a refused HTTP caller is told to wait, in seconds, before it tries again. */
  static final int RETRY_AFTER_S = 1;

  private Backpressure() {
  }

  /** Whether {@code failure} (or one of its causes) is a full queue's refusal. */
  static boolean isQueueFull(Throwable failure) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = failure; t != null && seen.add(t); t = next(t)) {
      if (t instanceof ActiveMQAddressFullException
          || t instanceof jakarta.jms.ResourceAllocationException
          || t instanceof org.springframework.jms.ResourceAllocationException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    if (t.getCause() != null) {
      return t.getCause();
    }
    return t instanceof jakarta.jms.JMSException jms ? jms.getLinkedException() : null;
  }
}
