package dev.alpharen.arsrv.testing;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Plain external clients of a test node's broker: Artemis's JMS client (CORE), Qpid JMS (AMQP
 * 1.0) and the ActiveMQ 5 client (OpenWire), all on the node's one acceptor.
 */
public final class BrokerClient {
  private BrokerClient() {}

  /** A started CORE connection to {@code node}'s broker as the given user. */
  public static Connection connect(TestNode node, String user, String password)
      throws JMSException {
    // No reconnection: the tests decide where to go when a node dies.
    ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(node.brokerUrl()
        + "?reconnectAttempts=0&callTimeout=10000&consumerWindowSize=0");
    Connection connection = factory.createConnection(user, password);
    connection.start();
    return connection;
  }

  /** A started CORE connection with the all-roles test user. */
  public static Connection connect(TestNode node) throws JMSException {
    return connect(node, TestNode.BROKER_USER, TestNode.BROKER_PASSWORD);
  }

  /** A started CORE connection with no credentials at all. */
  public static Connection connectAnonymously(TestNode node) throws JMSException {
    ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(node.brokerUrl()
        + "?reconnectAttempts=0&callTimeout=10000");
    Connection connection = factory.createConnection();
    connection.start();
    return connection;
  }

  /** A started AMQP 1.0 connection (Qpid JMS) as the given user; null user: anonymous. */
  public static Connection connectAmqp(TestNode node, String user, String password)
      throws JMSException {
    org.apache.qpid.jms.JmsConnectionFactory factory = new org.apache.qpid.jms.JmsConnectionFactory(
        "amqp://127.0.0.1:" + node.brokerPort());
    Connection connection = user == null ? factory.createConnection()
        : factory.createConnection(user, password);
    connection.start();
    return connection;
  }

  /** A started AMQP 1.0 connection (Qpid JMS) with the all-roles test user. */
  public static Connection connectAmqp(TestNode node) throws JMSException {
    return connectAmqp(node, TestNode.BROKER_USER, TestNode.BROKER_PASSWORD);
  }

  /**
   * A started OpenWire connection (the ActiveMQ 5 client, which speaks {@code javax.jms}) as the
   * given user.
   */
  public static javax.jms.Connection connectOpenWire(TestNode node, String user, String password)
      throws javax.jms.JMSException {
    org.apache.activemq.ActiveMQConnectionFactory factory =
        new org.apache.activemq.ActiveMQConnectionFactory(user, password,
            "tcp://127.0.0.1:" + node.brokerPort() + "?jms.watchTopicAdvisories=false");
    javax.jms.Connection connection = factory.createConnection();
    connection.start();
    return connection;
  }
}
