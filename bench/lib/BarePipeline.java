import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The baseline of bench/pipeline.sh: the same pipeline hand-rolled on bare Camel and an embedded
 * Artemis with the node's journal settings (NIO, synced on every commit), and nothing else: no
 * cluster, no bounds. POST /in puts the body on queue bench.in (200 once it is stored); a JMS
 * route takes it to the HTTP sink. GET /depth answers the queue's depth.
 * Usage: {@code java -cp 'arsrv/target/lib/*' BarePipeline.java HTTP_PORT SINK_URL DATA_DIR
 * CONSUMERS}.
 */
public final class BarePipeline {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String sink = args[1];
    Path data = Path.of(args[2]);
    int consumers = Integer.parseInt(args[3]);

    ConfigurationImpl config = new ConfigurationImpl();
    config.setName("bare");
    config.setPersistenceEnabled(true);
    config.setSecurityEnabled(false);
    config.setJournalType(JournalType.NIO);
    config.setJournalDirectory(data.resolve("journal").toString());
    config.setBindingsDirectory(data.resolve("bindings").toString());
    config.setPagingDirectory(data.resolve("paging").toString());
    config.setLargeMessagesDirectory(data.resolve("large-messages").toString());
    config.setJournalSyncTransactional(true);
    config.setJournalSyncNonTransactional(true);
    config.setJournalDatasync(true);
    config.setJMXManagementEnabled(false);
    config.addAcceptorConfiguration("in-vm", "vm://0");
    ActiveMQServer broker = new ActiveMQServerImpl(config);
    broker.start();
    broker.waitForActivation(30, TimeUnit.SECONDS);
    broker.createQueue(QueueConfiguration.of("bench.in").setRoutingType(RoutingType.ANYCAST)
        .setDurable(true).setAutoCreateAddress(true));

    CachingConnectionFactory factory =
        new CachingConnectionFactory(new ActiveMQConnectionFactory("vm://0"));
    factory.setSessionCacheSize(16);
    CamelContext camel = new DefaultCamelContext();
    camel.addComponent("jms", JmsComponent.jmsComponent(factory));
    camel.addRoutes(new RouteBuilder() {
      @Override
      public void configure() {
        from("jms:queue:bench.in?concurrentConsumers=" + consumers)
            .to(sink + "?httpMethod=POST");
      }
    });
    camel.start();
    ProducerTemplate producer = camel.createProducerTemplate();

    Undertow http = Undertow.builder().addHttpListener(port, "127.0.0.1")
        .setHandler(new io.undertow.server.handlers.BlockingHandler(exchange -> {
          if (exchange.getRequestPath().equals("/depth")) {
            exchange.getResponseSender().send(Long.toString(
                broker.locateQueue("bench.in").getMessageCount()));
            return;
          }
          byte[] body = exchange.getInputStream().readAllBytes();
          try {
            producer.sendBody("jms:queue:bench.in?exchangePattern=InOnly",
                new String(body, java.nio.charset.StandardCharsets.UTF_8));
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send("accepted");
          } catch (RuntimeException e) {
            exchange.setStatusCode(500);
            exchange.getResponseSender().send("failed");
          }
        })).build();
    http.start();
    System.out.println("bare pipeline listening on 127.0.0.1:" + port);
  }
}
