package dev.alpharen.arsrv.testing;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** A plain external JMS client (Artemis core protocol) of a test node's broker. */
public final class BrokerClient {
  private BrokerClient() {}

  /** A started connection to {@code node}'s broker as the given user. */
  public static Connection connect(TestNode node, String user, String password)
      throws JMSException {
    // No reconnection: the tests decide where to go when a node dies.
    ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(node.brokerUrl()
        + "?reconnectAttempts=0&callTimeout=10000&consumerWindowSize=0");
    Connection connection = factory.createConnection(user, password);
    connection.start();
    return connection;
  }

  /** A started connection with the all-roles test user. */
  public static Connection connect(TestNode node) throws JMSException {
    return connect(node, TestNode.BROKER_USER, TestNode.BROKER_PASSWORD);
  }
}
