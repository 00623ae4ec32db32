package dev.alpharen.arsrv.runtime;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.component.jms.JmsComponent;

/**
 * The {@code jms:} and {@code amqp:} components of a context, both on the node's own broker: its
 * in-VM connection factory, authenticated as the cluster user, so an integration names a queue
 * and nothing else. Both are transacted: a consumer commits once its route is done with the
 * message, a producer before the route goes on. {@code amqp:} is Camel's AMQP component (its
 * options, such as {@code includeAmqpAnnotations}, are accepted) speaking to the broker in-VM
 * rather than over an AMQP socket: the queue is the same one AMQP clients of the acceptor use,
 * without a loopback connection per node and with the same back-pressure and retries as
 * {@code jms:}. Stateless.
 */
final class BrokerEndpoints {
  private BrokerEndpoints() {
  }

  /** Adds both components to {@code context}, replacing any it has. */
  static void addTo(CamelContext context, ConnectionFactory broker) {
    context.addComponent("jms", transacted(JmsComponent.jmsComponent(broker)));
    context.addComponent("amqp", transacted(new AMQPComponent(broker)));
  }

  private static JmsComponent transacted(JmsComponent component) {
    // Consumers commit only once the route is done with the message, a stored retry included
    // (sends on the consumer's thread join its transaction); sends commit before they return.
    component.setTransacted(true);
    component.setLazyCreateTransactionManager(false); // local session transactions, no manager
    return component;
  }

  /** Whether {@code uri} is an endpoint of these components. */
  static boolean isBrokerUri(String uri) {
    return uri != null && (uri.startsWith("jms:") || uri.startsWith("amqp:"));
  }
}
