package dev.alpharen.arsrv.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeDirectory;
import dev.alpharen.arsrv.broker.EmbeddedBroker;
import dev.alpharen.arwadm.DeadLetters;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's dead letters for the admin API. Each broker keeps the dead letters of the
 * exchanges that failed on its node in its own {@value RetryHandOff#DEAD_LETTER_QUEUE} queue
 * (never redistributed), so this asks every member's broker directly, as the cluster user: it
 * browses them all to list, and takes one out of the broker that holds it to replay or delete,
 * in a transaction (a replayed message is in its queue again before it leaves the dead letters).
 * Thread-safe; each call opens its own connections.
 */
public final class ClusterDeadLetters implements DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(ClusterDeadLetters.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{36}");
  private static final Pattern NAME = IntegrationSpec.NAME;
  private static final int PREVIEW_CHARS = 200;
  private static final long TAKE_TIMEOUT_MS = 5_000;

  private final NodeDirectory directory;
  private final String user;
  private final String password;

  /**
   * @param directory the members whose brokers hold dead letters
   * @param user the brokers' cluster user
   * @param password its password, the cluster credential
   * @param activities where replays are recorded
   */
  public ClusterDeadLetters(NodeDirectory directory, String user, String password,
      dev.alpharen.arsrv.activity.ActivityRecorder activities) {
    this.directory = directory;
    this.user = user;
    this.password = password;
    this.activities = activities;
  }

  private final dev.alpharen.arsrv.activity.ActivityRecorder activities;

  @Override
  public List<Map<String, Object>> list(Optional<String> integration, int limit) {
    if (integration.isPresent() && !NAME.matcher(integration.get()).matches()) {
      throw new IllegalArgumentException("not an integration name: " + integration.get());
    }
    String selector = integration.map(i -> RetryHandOff.INTEGRATION + " = '" + i + "'")
        .orElse(null);
    List<Map<String, Object>> all = new ArrayList<>();
    for (MemberInfo member : members()) {
      try (Link link = connect(member)) {
        Session session = link.connection().createSession(false, Session.AUTO_ACKNOWLEDGE);
        try (QueueBrowser browser = session.createBrowser(session.createQueue(
            RetryHandOff.DEAD_LETTER_QUEUE), selector)) {
          Enumeration<?> messages = browser.getEnumeration();
          for (int n = 0; n < limit && messages.hasMoreElements(); n++) {
            all.add(describe(member.id(), (Message) messages.nextElement()));
          }
        }
      } catch (JMSException e) {
        log.warn("dead letters: broker of node {} did not answer: {}", member.id(), e.toString());
      }
    }
    all.sort(Comparator.comparing(m -> String.valueOf(m.get("firstFailure"))));
    return all.size() <= limit ? all : all.subList(0, limit);
  }

  @Override
  public Map<String, Object> replay(String id) {
    return take(id, (session, message) -> {
      String queue = message.getStringProperty(RetryHandOff.QUEUE);
      if (queue == null || queue.isEmpty()) {
        throw new IllegalStateException("dead letter " + id + " does not say which queue it came"
            + " from; delete it instead");
      }
      Message copy = copy(session, message);
      try (MessageProducer producer = session.createProducer(session.createQueue(queue))) {
        producer.send(copy);
      }
      String integration = message.getStringProperty(RetryHandOff.INTEGRATION);
      log.info("dead letter {} of integration {} replayed to queue {}", id, integration, queue);
      activities.record(dev.alpharen.arsrv.activity.ActivityType.EXCHANGE_REPLAYED,
          dev.alpharen.arsrv.activity.Severity.NOTICE,
          dev.alpharen.arsrv.activity.ActivityRecorder.Scope.integration(
              integration == null ? "" : integration),
          "dead letter " + id + " replayed to queue " + queue,
          Map.of("deadLetter", id, "queue", queue));
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("id", id);
      answer.put("queue", queue);
      answer.put("replayed", true);
      return answer;
    });
  }

  @Override
  public Map<String, Object> delete(String id) {
    return take(id, (session, message) -> {
      log.info("dead letter {} of integration {} deleted", id,
          message.getStringProperty(RetryHandOff.INTEGRATION));
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("id", id);
      answer.put("deleted", true);
      return answer;
    });
  }

  private interface Action {
    Map<String, Object> apply(Session session, Message message) throws JMSException;
  }

  /** Finds the broker holding dead letter {@code id}, takes it out and runs {@code action}. */
  private Map<String, Object> take(String id, Action action) {
    if (!ID.matcher(id).matches()) {
      throw new NoSuchElementException("no dead letter '" + id + "'");
    }
    String selector = "JMSMessageID = 'ID:" + id + "'";
    for (MemberInfo member : members()) {
      try (Link link = connect(member)) {
        Session session = link.connection().createSession(true, Session.SESSION_TRANSACTED);
        jakarta.jms.Queue dlq = session.createQueue(RetryHandOff.DEAD_LETTER_QUEUE);
        try (QueueBrowser browser = session.createBrowser(dlq, selector)) {
          if (!browser.getEnumeration().hasMoreElements()) {
            continue;
          }
        }
        try (MessageConsumer consumer = session.createConsumer(dlq, selector)) {
          Message message = consumer.receive(TAKE_TIMEOUT_MS);
          if (message == null) {
            continue; // taken by a concurrent call
          }
          Map<String, Object> answer = action.apply(session, message);
          session.commit();
          answer.put("node", member.id());
          return answer;
        }
      } catch (JMSException e) {
        throw new IllegalStateException("the broker of node " + member.id() + " failed while"
            + " taking dead letter " + id + ": " + e.getMessage(), e);
      }
    }
    throw new NoSuchElementException("no dead letter '" + id + "' on any node");
  }

  private List<MemberInfo> members() {
    return directory.snapshot().members().stream()
        .filter(m -> m.local() || m.node().ports().broker() > 0).toList();
  }

  /** A connection and the factory it came from, closed together. */
  private record Link(ActiveMQConnectionFactory factory, Connection connection)
      implements AutoCloseable {
    @Override
    public void close() throws JMSException {
      try {
        connection.close();
      } finally {
        factory.close();
      }
    }
  }

  private Link connect(MemberInfo member) throws JMSException {
    String url = member.local() ? EmbeddedBroker.IN_VM_URL
        : "tcp://" + member.node().host() + ":" + member.node().ports().broker()
            + "?useTopologyForLoadBalancing=false&reconnectAttempts=0&callTimeout=10000";
    // window 0: a selecting consumer takes only the message it asked for
    ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url
        + (url.contains("?") ? "&" : "?") + "consumerWindowSize=0");
    try {
      Connection connection = factory.createConnection(user, password);
      connection.start();
      return new Link(factory, connection);
    } catch (JMSException | RuntimeException e) {
      factory.close();
      throw e;
    }
  }

  /** The message for the queue it came from: same body and headers, durable runs from zero. */
  private static Message copy(Session session, Message message) throws JMSException {
    Message copy;
    if (message instanceof TextMessage text) {
      copy = session.createTextMessage(text.getText());
    } else if (message instanceof BytesMessage bytes) {
      byte[] body = new byte[(int) bytes.getBodyLength()];
      bytes.readBytes(body);
      BytesMessage b = session.createBytesMessage();
      b.writeBytes(body);
      copy = b;
    } else {
      copy = session.createTextMessage(message.getBody(String.class));
    }
    for (String name : Collections.list(propertyNames(message))) {
      if (!name.equals(RetryHandOff.ATTEMPTS) && !name.startsWith("JMS")
          && !name.startsWith("_AMQ")) {
        copy.setObjectProperty(name, message.getObjectProperty(name));
      }
    }
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Enumeration<String> propertyNames(Message message) throws JMSException {
    return (Enumeration<String>) message.getPropertyNames();
  }

  private static Map<String, Object> describe(String node, Message m) throws JMSException {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("id", m.getJMSMessageID() == null ? "" : m.getJMSMessageID().replaceFirst("^ID:", ""));
    d.put("node", node);
    d.put("integration", m.getStringProperty(RetryHandOff.INTEGRATION));
    d.put("route", m.getStringProperty(RetryHandOff.ROUTE));
    d.put("queue", m.getStringProperty(RetryHandOff.QUEUE));
    d.put("error", m.getStringProperty(RetryHandOff.ERROR));
    d.put("durableAttempts", m.propertyExists(RetryHandOff.ATTEMPTS)
        ? m.getIntProperty(RetryHandOff.ATTEMPTS) : 0);
    d.put("firstFailure", time(m, RetryHandOff.FIRST_FAILURE));
    d.put("lastFailure", time(m, RetryHandOff.LAST_FAILURE));
    d.put("history", history(m.getStringProperty(RetryHandOff.HISTORY)));
    byte[] body = body(m);
    String text = new String(body, StandardCharsets.UTF_8);
    d.put("size", body.length);
    d.put("bodyPreview", text.length() <= PREVIEW_CHARS ? text
        : text.substring(0, PREVIEW_CHARS) + "…");
    return d;
  }

  private static String time(Message m, String property) throws JMSException {
    return m.propertyExists(property) ? Instant.ofEpochMilli(m.getLongProperty(property)).toString()
        : null;
  }

  private static JsonNode history(String json) {
    try {
      return json == null ? JSON.createArrayNode() : JSON.readTree(json);
    } catch (IOException e) {
      return JSON.createArrayNode();
    }
  }

  private static byte[] body(Message m) throws JMSException {
    if (m instanceof TextMessage text) {
      return text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
    }
    if (m instanceof BytesMessage bytes) {
      byte[] body = new byte[(int) bytes.getBodyLength()];
      bytes.readBytes(body);
      bytes.reset();
      return body;
    }
    return new byte[0];
  }
}
