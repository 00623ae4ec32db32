package dev.alpharen.arsrv.broker;

import dev.alpharen.arsrv.config.NodeConfig.BrokerSection;
import dev.alpharen.arsrv.config.NodeConfig.BrokerUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.activemq.artemis.api.core.BroadcastGroupConfiguration;
import org.apache.activemq.artemis.api.core.DiscoveryGroupConfiguration;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.ha.ColocatedPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.PrimaryOnlyPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.ReplicaPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.ReplicatedPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.cluster.impl.MessageLoadBalancingType;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The Artemis configuration of a node's broker, built from its {@code broker} section: journal
 * under the data directory synced on every commit, the acceptors, discovery over Hazelcast, the
 * cluster connection, colocated replication, queue bounds and roles. Stateless.
 */
final class BrokerConfiguration {
  private BrokerConfiguration() {}

  static Configuration of(BrokerSection settings, String nodeId, String advertisedHost,
      int port, Path dataDir, String discoveryChannel, String clusterPassword) throws Exception {
    Path journal = dataDir.resolve("broker");
    ConfigurationImpl config = new ConfigurationImpl();
    config.setName(nodeId);
    config.setPersistenceEnabled(true);
    config.setJournalType(JournalType.NIO);
    config.setJournalDirectory(journal.resolve("journal").toString());
    config.setBindingsDirectory(journal.resolve("bindings").toString());
    config.setPagingDirectory(journal.resolve("paging").toString());
    config.setLargeMessagesDirectory(journal.resolve("large-messages").toString());
    // The node id lives in server.lock beside the journal (Artemis's default): a colocated
    // replica gets a directory of its own; one shared directory let it overwrite this broker's
    // id with its primary's, and after a restart two brokers claimed the same id.
    config.setJournalSyncTransactional(true);
    config.setJournalSyncNonTransactional(true);
    config.setJournalDatasync(true);
    config.setJMXManagementEnabled(false);
    config.setCriticalAnalyzer(false);
    // Messages over this are paged to disk; queues also have their own bound (below).
    config.setGlobalMaxSize(Runtime.getRuntime().maxMemory() / 8);
    config.setMaxDiskUsage(95);
    config.setSecurityEnabled(true);
    config.setClusterUser(EmbeddedBroker.CLUSTER_USER);
    config.setClusterPassword(clusterPassword);
    config.setGracefulShutdownEnabled(false);

    String acceptorParams = "protocols=CORE,AMQP,OPENWIRE;supportAdvisory=false;"
        + "suppressInternalManagementObjects=true";
    config.addAcceptorConfiguration("artemis", "tcp://" + settings.host() + ":" + port + "?"
        + acceptorParams);
    if (settings.tlsPort() != 0) {
      config.addAcceptorConfiguration("artemis-tls", "tcp://" + settings.host() + ":"
          + settings.tlsPort() + "?" + acceptorParams + ";sslEnabled=true;keyStorePath="
          + settings.keyStore() + ";keyStorePassword=" + settings.keyStorePassword());
    }
    config.addAcceptorConfiguration("in-vm", EmbeddedBroker.IN_VM_URL);
    config.addConnectorConfiguration("self", "tcp://" + advertisedHost + ":" + port);

    HazelcastBroadcast discovery = new HazelcastBroadcast(discoveryChannel);
    config.addBroadcastGroupConfiguration(new BroadcastGroupConfiguration().setName("alpharen")
        .setBroadcastPeriod(500).setConnectorInfos(List.of("self"))
        .setEndpointFactory(discovery));
    config.addDiscoveryGroupConfiguration("alpharen", new DiscoveryGroupConfiguration()
        .setName("alpharen").setRefreshTimeout(5_000).setDiscoveryInitialWaitTimeout(1_000)
        .setBroadcastEndpointFactory(discovery));
    config.addClusterConfiguration(new ClusterConnectionConfiguration().setName("alpharen")
        .setConnectorName("self").setDiscoveryGroupName("alpharen")
        .setMessageLoadBalancingType(MessageLoadBalancingType.ON_DEMAND)
        .setDuplicateDetection(true).setMaxHops(1).setRetryInterval(500)
        .setRetryIntervalMultiplier(1.5).setMaxRetryInterval(5_000).setReconnectAttempts(-1)
        .setCallTimeout(10_000));

    if (settings.ha()) {
      // On start a primary asks the cluster whether a replica has taken over its id (it then
      // fails back instead of starting a second broker with that id); the question costs 1 s
      // alone and 5 s among peers. A broker with no journal yet has an id nobody can hold.
      boolean firstStart = !Files.isDirectory(journal.resolve("journal"));
      config.setHAPolicyConfiguration(new ColocatedPolicyConfiguration().setRequestBackup(true)
          .setMaxBackups(2).setBackupRequestRetries(-1).setBackupRequestRetryInterval(2_000)
          .setBackupPortOffset(settings.backupPortOffset())
          .setPrimaryConfig(new ReplicatedPolicyConfiguration()
              .setCheckForActiveServer(!firstStart).setClusterName("alpharen"))
          .setBackupConfig(new ReplicaPolicyConfiguration().setClusterName("alpharen")
              .setAllowFailBack(true).setRestartBackup(true)));
    } else {
      config.setHAPolicyConfiguration(new PrimaryOnlyPolicyConfiguration());
    }

    AddressSettings bounded = new AddressSettings()
        .setRedistributionDelay(0)
        // A queue created on first use stays: deleting it when its last consumer leaves would
        // race with messages a peer is forwarding to it, and those would have nowhere to go.
        .setAutoDeleteQueues(false)
        .setAutoDeleteAddresses(false)
        .setDeadLetterAddress(SimpleString.of(EmbeddedBroker.DEAD_LETTER_QUEUE))
        .setExpiryAddress(SimpleString.of(EmbeddedBroker.EXPIRY_QUEUE))
        .setMaxDeliveryAttempts(10)
        .setMaxSizeMessages(settings.maxQueueMessages())
        .setMaxSizeBytes(settings.maxQueueBytes())
        .setAddressFullMessagePolicy(AddressFullMessagePolicy.valueOf(settings.fullPolicy()));
    config.addAddressSetting("#", bounded);
    config.addAddressSetting(EmbeddedBroker.INTERNAL_PREFIX + "#", new AddressSettings()
        .setRedistributionDelay(0).setMaxSizeBytes(-1).setMaxSizeMessages(-1)
        .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));
    for (String name : List.of(EmbeddedBroker.DEAD_LETTER_QUEUE, EmbeddedBroker.EXPIRY_QUEUE, EmbeddedBroker.INTEGRATION_DEAD_LETTERS,
        EmbeddedBroker.RETRY_QUEUE)) {
      config.addAddressConfiguration(new CoreAddressConfiguration().setName(name)
          .addRoutingType(RoutingType.ANYCAST).addQueueConfiguration(QueueConfiguration.of(name)
              .setRoutingType(RoutingType.ANYCAST)));
      // Dead letters and retries are kept whatever their number: paged, never refused. Retries
      // move to a peer on drain; dead letters stay where they are (browsed there).
      config.addAddressSetting(name, new AddressSettings()
          .setRedistributionDelay(name.equals(EmbeddedBroker.RETRY_QUEUE) ? 0 : -1)
          .setMaxSizeBytes(-1).setMaxSizeMessages(-1)
          .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE));
    }

    config.putSecurityRoles("#", Set.of(
        role("admin", true, true, true),
        role("send", true, false, false),
        role("consume", false, true, false)));
    return config;
  }

  /**
   * A role: {@code send} and {@code consume} (each may create the queue it uses, as clients
   * expect of auto-created queues), and everything else, management included, for {@code admin}.
   */
  private static Role role(String name, boolean send, boolean consume, boolean admin) {
    boolean use = send || consume;
    // name, send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue,
    // deleteNonDurableQueue, manage, browse, createAddress, deleteAddress, view, edit
    return new Role(name, send, consume, use, admin, use, admin, admin, admin || consume, use,
        admin, admin, admin);
  }

  static SecurityConfiguration users(List<BrokerUser> users) {
    SecurityConfiguration security = new SecurityConfiguration();
    for (BrokerUser user : users) {
      security.addUser(user.name(), user.password());
      for (String role : user.roles()) {
        security.addRole(user.name(), role);
      }
    }
    // No default user: a client without valid credentials is refused.
    return security;
  }
}
