package dev.alpharen.arsrv.runtime;

import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence of a singleton route: an exchange that starts while this node does not hold the lease
 * (for example a timer tick that fires in the instant after the process resumes from a freeze,
 * before {@code ClusteredRoutePolicy} has stopped the route) is stopped before its first step;
 * one that starts while it does carries the lease's fencing term in the exchange property
 * {@value #TERM}. Thread-safe.
 */
final class SingletonGuard extends RoutePolicySupport {
  /** The exchange property holding the fencing term the exchange started in. */
  static final String TERM = "AlphaRenSingletonTerm";

  private static final Logger log = LoggerFactory.getLogger(SingletonGuard.class);

  private final Supplier<OptionalLong> term;

  /** @param term the fencing term this node leads in now, or empty when it does not lead */
  SingletonGuard(Supplier<OptionalLong> term) {
    this.term = term;
  }

  @Override
  public void onExchangeBegin(Route route, Exchange exchange) {
    OptionalLong now = term.get();
    if (now.isPresent()) {
      exchange.setProperty(TERM, now.getAsLong());
    } else {
      exchange.setRouteStop(true);
      log.debug("route {}: exchange {} dropped, this node does not hold the singleton lease",
          route.getId(), exchange.getExchangeId());
    }
  }
}
