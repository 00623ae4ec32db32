package dev.alpharen.arsrv.runtime;

import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fence of a singleton route: an exchange that starts while this node does not hold the lease
 * (for example a timer tick that fires in the instant after the process resumes from a freeze,
 * before {@code ClusteredRoutePolicy} has stopped the route) is stopped before its first step.
 * Thread-safe.
 */
final class SingletonGuard extends RoutePolicySupport {
  private static final Logger log = LoggerFactory.getLogger(SingletonGuard.class);

  private final BooleanSupplier leads;

  SingletonGuard(BooleanSupplier leads) {
    this.leads = leads;
  }

  @Override
  public void onExchangeBegin(Route route, Exchange exchange) {
    if (!leads.getAsBoolean()) {
      exchange.setRouteStop(true);
      log.debug("route {}: exchange {} dropped, this node does not hold the singleton lease",
          route.getId(), exchange.getExchangeId());
    }
  }
}
