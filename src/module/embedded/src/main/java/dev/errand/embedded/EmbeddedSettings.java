package dev.errand.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.errand.WireContract;
import dev.errand.internal.config.EmbeddedConfig;

/**
 * Where and how the embedded broker and database run.
 * <p>
 * A plain record rather than a {@code @ConfigMapping}: the embedded servers start before Quarkus does,
 * because the datasource and the AMQP connector must already know where to connect when the
 * application boots.
 *
 * @param dataDir  folder holding the broker journal ({@code broker/}) and the database files ({@code postgres/})
 * @param amqpPort port of the AMQP 1.0 acceptor, bound to 127.0.0.1; 0 picks a free port
 * @param queues   durable ANYCAST queues declared up front, so a sender never publishes into an address
 *                 that has no queue yet
 * @param brokerUser the service's own broker user, with every permission
 * @param senderUser the broker user for outside senders: it may send to work queues and event
 *                   addresses, nothing else
 * @param databasePassword the embedded PostgreSQL superuser's password
 * @param deadLetterAddress Errand's dead-letter queue, which only the service may use
 * @param brokerMemory bytes of queued messages the broker keeps in the heap, all addresses together
 *                     (Artemis' {@code global-max-size}); past it, new messages page to disk
 * @param tls        an AMQPS acceptor, alone or beside the plain one; null for none
 */
public record EmbeddedSettings(Path dataDir, int amqpPort, List<String> queues, BrokerUser brokerUser,
        BrokerUser senderUser, String databasePassword, String deadLetterAddress, long brokerMemory, Tls tls) {

    /**
     * An AMQPS acceptor, bound to 127.0.0.1 like the plain one.
     *
     * @param port        its port; 0 picks a free port
     * @param certificate the broker's key store, and the certificate for clients to trust
     * @param plainToo    whether the plain AMQP acceptor stays open beside it: yes for the tests' broker,
     *                    whose senders use both; no for a service that turned TLS on, so that nothing,
     *                    itself included, can reach its broker in clear text by mistake
     */
    public record Tls(int port, LocalCertificate certificate, boolean plainToo) {

        public Tls {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("The AMQPS port must be between 0 and 65535, was " + port);
            }
            Objects.requireNonNull(certificate, "certificate");
        }

        public Path keyStore() {
            return certificate.keyStore();
        }

        public Path trustStore() {
            return certificate.trustStore();
        }

        public String password() {
            return certificate.password();
        }
    }

    /** Default of {@code errand.data-dir}; also the {@code EmbeddedConfig} default. */
    public static final String DEFAULT_DATA_DIR = EmbeddedConfig.DEFAULT_DATA_DIR;
    /** Default of {@code errand.embedded.amqp-port}; also the {@code EmbeddedConfig} default. */
    public static final String DEFAULT_AMQP_PORT = EmbeddedConfig.DEFAULT_AMQP_PORT;

    /**
     * Default of {@code errand.embedded.broker-memory}: an eighth of the maximum heap. Artemis' own default
     * is half, for a broker that has its JVM to itself; this one shares the heap with the service, whose
     * consumers drain the queues it holds, so a backlog beyond this waits on disk instead.
     */
    public static long defaultBrokerMemory(long maxHeap) {
        return maxHeap / 8;
    }

    public EmbeddedSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        if (brokerMemory <= 0) {
            throw new IllegalArgumentException("The broker's memory (errand.embedded.broker-memory) must be positive, was "
                    + brokerMemory + " bytes");
        }
        if (amqpPort < 0 || amqpPort > 65535) {
            throw new IllegalArgumentException("amqpPort must be between 0 and 65535, was " + amqpPort);
        }
        queues = List.copyOf(queues);
        Objects.requireNonNull(deadLetterAddress, "deadLetterAddress");
        Objects.requireNonNull(brokerUser, "brokerUser");
        Objects.requireNonNull(senderUser, "senderUser");
        if (senderUser.username().equals(brokerUser.username())) {
            throw new IllegalArgumentException("The sender user must not be the service's broker user "
                    + brokerUser.username() + ": senders would get every permission");
        }
        if (databasePassword == null || databasePassword.isBlank()) {
            throw new IllegalArgumentException("The embedded database needs a password");
        }
    }

    /**
     * Settings for a test run: fresh random passwords, free ports, and an AMQPS acceptor with a
     * certificate made for the run (for 127.0.0.1 and localhost), for tests of TLS to the broker.
     */
    static EmbeddedSettings forTests(Path dataDir, List<String> queues) throws java.io.IOException {
        return new EmbeddedSettings(dataDir, 0, queues,
                new BrokerUser(LocalCredentials.BROKER_USER, LocalCredentials.randomPassword()),
                new BrokerUser(LocalCredentials.SENDER_USER, LocalCredentials.randomPassword()),
                LocalCredentials.randomPassword(), WireContract.DEAD_LETTER_QUEUE,
                defaultBrokerMemory(Runtime.getRuntime().maxMemory()),
                new Tls(EmbeddedBroker.freePort(),
                        LocalCertificate.create(dataDir.resolve("tls"), "broker", Duration.ofDays(2)), true));
    }
}
