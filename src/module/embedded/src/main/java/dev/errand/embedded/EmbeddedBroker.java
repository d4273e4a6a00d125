package dev.errand.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

/**
 * ActiveMQ Artemis inside the JVM, speaking AMQP 1.0 on loopback, with a persistent journal so that
 * an accepted message survives a {@code kill -9}.
 * <p>
 * Secured like a production broker, with no anonymous connections: loopback alone is not a
 * boundary, every local process and container on the host could otherwise enqueue work or drain a
 * queue. Two users: the service's own, with every permission, and the outside senders', which may
 * only send, and only to the queues the service opens to outside senders (granted by the service at
 * its start): it can neither read a queue, nor write to the service's internal ones, nor forge a dead
 * letter, nor change the broker.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final EmbeddedActiveMQ server;
    private final int port;

    private EmbeddedBroker(EmbeddedActiveMQ server, int port) {
        this.server = server;
        this.port = port;
    }

    private static final String AMQP_OPTIONS = "protocols=AMQP;amqpCredits=1000;amqpLowCredits=300;"
            + "amqpDuplicateDetection=false";
    static final String SERVICE_ROLE = "errand";
    static final String SENDER_ROLE = "errand-sender";
    /** Artemis' management address, and its notifications; the service's alone. */
    private static final List<String> MANAGEMENT = List.of("activemq.management#", "activemq.notifications#");

    public static EmbeddedBroker start(Path folder, EmbeddedSettings settings) throws Exception {
        PrivateFolders.create(folder);
        PrivateFolders.restrict(folder);
        EmbeddedSettings.Tls tls = settings.tls();
        boolean plain = tls == null || tls.plainToo();
        int plainPort = settings.amqpPort() == 0 ? freePort() : settings.amqpPort();
        int tlsPort = tls == null ? -1 : tls.port() == 0 ? freePort() : tls.port();
        List<String> queues = settings.queues();
        Configuration config = new ConfigurationImpl()
                .setName("errand-embedded")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(folder.resolve("journal").toString())
                .setBindingsDirectory(folder.resolve("bindings").toString())
                .setPagingDirectory(folder.resolve("paging").toString())
                .setLargeMessagesDirectory(folder.resolve("large-messages").toString())
                .setSecurityEnabled(true)
                // Operators (and the tests that take the AMQP acceptor down) reach it over JMX.
                .setJMXManagementEnabled(true)
                // A nearly full developer disk must not silently block every producer.
                .setMaxDiskUsage(100)
                // The broker shares the heap with the service: past this, queued messages page to disk
                // (every address's default policy) rather than fill the heap the consumers need.
                .setGlobalMaxSize(settings.brokerMemory());
        if (plain) {
            config.addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + plainPort + "?" + AMQP_OPTIONS);
        }
        if (tls != null) {
            // For services that must speak TLS to their broker: alone when the service turned TLS on, beside
            // the plain one for the tests' broker.
            config.addAcceptorConfiguration("amqps", "tcp://127.0.0.1:" + tlsPort + "?" + AMQP_OPTIONS
                    + ";sslEnabled=true;keyStoreType=PKCS12;keyStorePath=" + tls.keyStore()
                    + ";keyStorePassword=" + tls.password());
        }
        // Redelivery of a released/modified message is delayed on the broker, so a message that
        // Errand could not dead-letter is not spun in a hot loop.
        config.addAddressSetting("#", new AddressSettings()
                .setRedeliveryDelay(Duration.ofSeconds(1).toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(Duration.ofSeconds(30).toMillis())
                .setMaxDeliveryAttempts(-1)
                // Ordering keys arrive as message groups; hashing them into buckets bounds the memory.
                .setDefaultGroupBuckets(4096)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false)
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST));
        for (String queue : queues) {
            config.addQueueConfiguration(QueueConfiguration.of(queue)
                    .setAddress(queue)
                    .setRoutingType(RoutingType.ANYCAST)
                    .setDurable(true));
        }
        // The sender's role may do nothing anywhere: the service grants it send on the queues it opens to
        // outside senders (@OutsideSenders), address by address, over management at its start
        // (OutsideSenderGrants in the runtime); Artemis takes the most specific match alone.
        config.putSecurityRoles("#", Set.of(serviceRole()));
        config.putSecurityRoles(settings.deadLetterAddress(), Set.of(serviceRole()));
        MANAGEMENT.forEach(address -> config.putSecurityRoles(address, Set.of(serviceRole())));
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(settings.brokerUser().username(), settings.brokerUser().password());
        users.addRole(settings.brokerUser().username(), SERVICE_ROLE);
        users.addUser(settings.senderUser().username(), settings.senderUser().password());
        users.addRole(settings.senderUser().username(), SENDER_ROLE);
        quietMissingAddressWarnings();
        EmbeddedActiveMQ server = new EmbeddedActiveMQ().setConfiguration(config)
                .setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        server.start();
        // The journal files Artemis just made follow the umask; the folder above is private anyway.
        PrivateFolders.restrict(folder);
        return new EmbeddedBroker(server, plain ? plainPort : tlsPort);
    }

    /**
     * Send, consume, create/delete durable and non-durable queues, manage (queue depths over
     * activemq.management), browse, create/delete addresses, view, edit.
     */
    private static Role serviceRole() {
        return new Role(SERVICE_ROLE, true, true, true, true, true, true, true, true, true, true, true, true);
    }

    /** The port the service connects to: the plain acceptor's, or the AMQPS one's when it is alone. */
    public int port() {
        return port;
    }

    /** The running Artemis, for the test kit that delivers its scheduled messages early ({@link ErrandTestKit}). */
    org.apache.activemq.artemis.core.server.ActiveMQServer server() {
        return server.getActiveMQServer();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /**
     * Errand dead-letters in the application, with reasons, so its queues deliberately have no broker
     * dead-letter or expiry address; Artemis would warn about that (AMQ222165, AMQ222166) for every
     * queue at every start.
     */
    private static void quietMissingAddressWarnings() {
        java.util.logging.Logger.getLogger("org.apache.activemq.artemis.core.server").setFilter(record -> {
            String message = record.getMessage();
            return message == null || !(message.startsWith("AMQ222165") || message.startsWith("AMQ222166"));
        });
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
