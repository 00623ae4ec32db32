package dev.alpharen.arsrv.runtime;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.ResourceAllocationException;
import org.apache.camel.CamelContext;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.component.amqp.AMQPConfiguration;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsConfiguration;
import org.apache.camel.component.jms.JmsEndpoint;
import org.springframework.jms.core.JmsOperations;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.support.destination.DestinationResolver;

/**
 * The {@code jms:} and {@code amqp:} components of a context, both on the node's own broker: its
 * in-VM connection factory, authenticated as the cluster user, so an integration names a queue
 * and nothing else. Both are transacted: a consumer commits once its route is done with the
 * message, a producer before the route goes on. {@code amqp:} is Camel's AMQP component (its
 * options, such as {@code includeAmqpAnnotations}, are accepted) speaking to the broker in-VM
 * rather than over an AMQP socket: the queue is the same one AMQP clients of the acceptor use,
 * without a loopback connection per node and with the same back-pressure and retries as
 * {@code jms:}.
 *
 * <p>Every send of a route to a queue first asks {@link QueueBounds#awaitRoom}: at a full
 * {@code BLOCK} queue it waits for room, at most the broker's block timeout, and is then refused
 * with a {@link ResourceAllocationException} (an HTTP caller gets 503), as a {@code FAIL} queue
 * refuses at once. Consumers never wait. Stateless.
 */
final class BrokerEndpoints {
  private BrokerEndpoints() {
  }

  /** Adds both components to {@code context}, replacing any it has. */
  static void addTo(CamelContext context, ConnectionFactory broker, QueueBounds bounds) {
    context.addComponent("jms", transacted(new JmsComponent(new Jms(broker, bounds))));
    context.addComponent("amqp", transacted(new AMQPComponent(new Amqp(broker, bounds))));
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

  /**
   * Makes {@code operations} (a route's send template) wait for room before each send to a queue:
   * the wait sits in destination resolution, which the template runs before every send.
   */
  static JmsOperations awaitingRoom(JmsOperations operations, QueueBounds bounds) {
    if (operations instanceof JmsTemplate template) {
      DestinationResolver next = template.getDestinationResolver();
      template.setDestinationResolver((session, name, pubSub) -> {
        if (!pubSub) {
          awaitRoom(bounds, name);
        }
        return next.resolveDestinationName(session, name, pubSub);
      });
    }
    return operations;
  }

  private static void awaitRoom(QueueBounds bounds, String queue) throws JMSException {
    try {
      if (!bounds.awaitRoom(queue)) {
        throw new ResourceAllocationException("queue " + queue + " is full");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JMSException("interrupted while waiting for room in queue " + queue);
    }
  }

  /** The {@code jms:} configuration: templates that wait for room. Copied per endpoint. */
  private static final class Jms extends JmsConfiguration {
    private final QueueBounds bounds;

    Jms(ConnectionFactory broker, QueueBounds bounds) {
      super(broker);
      this.bounds = bounds;
    }

    @Override
    public JmsOperations createInOnlyTemplate(JmsEndpoint endpoint, boolean pubSubDomain,
        String destination) {
      return awaitingRoom(super.createInOnlyTemplate(endpoint, pubSubDomain, destination),
          bounds);
    }
  }

  /** The {@code amqp:} configuration, the same with the AMQP component's own options. */
  private static final class Amqp extends AMQPConfiguration {
    private final QueueBounds bounds;

    Amqp(ConnectionFactory broker, QueueBounds bounds) {
      super(broker);
      this.bounds = bounds;
    }

    @Override
    public JmsOperations createInOnlyTemplate(JmsEndpoint endpoint, boolean pubSubDomain,
        String destination) {
      return awaitingRoom(super.createInOnlyTemplate(endpoint, pubSubDomain, destination),
          bounds);
    }
  }
}
