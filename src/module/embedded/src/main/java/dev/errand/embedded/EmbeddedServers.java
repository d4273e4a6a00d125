package dev.errand.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;

/**
 * The broker and the database a newcomer needs, started together in one data folder.
 * <p>
 * {@link #connectionProperties()} are the Quarkus settings that point the AMQP connector and the
 * datasource at them; {@code EmbeddedServersSource} hands them to Quarkus as configuration, and a
 * module's own test resource (test-support's {@code TestServers}) to its {@code @QuarkusTest}s.
 */
public final class EmbeddedServers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedServers.class);

    /** The servers this JVM started last and has not closed: what the test kit reaches the broker through. */
    private static volatile EmbeddedServers running;

    private final DataFolderLock lock;
    private final NewFilesPrivate brokerFiles;
    private final EmbeddedBroker broker;
    private final EmbeddedDatabase database;
    private final BrokerUser brokerUser;
    private final BrokerUser senderUser;
    private final EmbeddedSettings.Tls tls;

    /**
     * The Quarkus TLS configuration the service connects to a TLS-only embedded broker with: it trusts the
     * broker's own certificate, and nothing else.
     */
    public static final String BROKER_TLS_CONFIGURATION = "errand-embedded-broker";

    private EmbeddedServers(DataFolderLock lock, NewFilesPrivate brokerFiles, EmbeddedBroker broker,
            EmbeddedDatabase database, BrokerUser brokerUser, BrokerUser senderUser, EmbeddedSettings.Tls tls) {
        this.lock = lock;
        this.brokerFiles = brokerFiles;
        this.broker = broker;
        this.database = database;
        this.brokerUser = brokerUser;
        this.senderUser = senderUser;
        this.tls = tls;
    }

    /** The least-privileged user that outside senders connect with. */
    public BrokerUser senderUser() {
        return senderUser;
    }

    /**
     * Starts the servers asked for; either may be left to an external one. The data folder is locked
     * first ({@link DataFolderLock}): a second process on the same folder fails here, before it can
     * touch the first one's PostgreSQL or journal.
     */
    public static EmbeddedServers start(EmbeddedSettings settings, boolean withBroker, boolean withDatabase)
            throws Exception {
        Path dataDir = settings.dataDir().toAbsolutePath();
        PrivateFolders.create(dataDir);
        DataFolderLock lock = DataFolderLock.acquire(dataDir);
        long started = System.nanoTime();
        EmbeddedDatabase database = null;
        NewFilesPrivate brokerFiles = null;
        EmbeddedBroker broker = null;
        try {
            if (withDatabase) {
                database = EmbeddedDatabase.start(dataDir.resolve("postgres"), settings.databasePassword());
            }
            if (withBroker) {
                Path brokerDir = PrivateFolders.create(dataDir.resolve("broker"));
                brokerFiles = NewFilesPrivate.watch(brokerDir);
                broker = EmbeddedBroker.start(brokerDir, settings);
            }
        } catch (Exception | Error e) {
            closeAll(brokerFiles, database, lock);
            // Whatever the failed start made (unpacked binaries, a half-made journal) stays private too.
            PrivateFolders.restrict(dataDir);
            throw e;
        }
        LOG.infof("Embedded servers started in %d ms (broker: %s, database: %s), data in %s",
                (System.nanoTime() - started) / 1_000_000,
                broker == null ? "external" : (tlsOnly(settings.tls()) ? "AMQPS" : "AMQP") + " on 127.0.0.1:" + broker.port()
                        + ", paging past " + settings.brokerMemory() / (1024 * 1024) + " MB of messages",
                database == null ? "external" : "PostgreSQL on 127.0.0.1:" + database.port(), dataDir);
        EmbeddedServers servers = new EmbeddedServers(lock, brokerFiles, broker, database, settings.brokerUser(),
                settings.senderUser(), settings.tls());
        running = servers;
        return servers;
    }

    /** The servers this JVM runs now, if it started any (the last, when it started several). */
    public static java.util.Optional<EmbeddedServers> running() {
        return java.util.Optional.ofNullable(running);
    }

    /** Its broker, when it started one rather than use an external broker. */
    java.util.Optional<EmbeddedBroker> broker() {
        return java.util.Optional.ofNullable(broker);
    }

    private static boolean tlsOnly(EmbeddedSettings.Tls tls) {
        return tls != null && !tls.plainToo();
    }

    private static void closeAll(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Could not clean up after a failed start", e);
                }
            }
        }
    }

    public Map<String, String> connectionProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        if (broker != null) {
            properties.put("amqp-host", "127.0.0.1");
            properties.put("amqp-port", Integer.toString(broker.port()));
            properties.put("amqp-username", brokerUser.username());
            properties.put("amqp-password", brokerUser.password());
            // The sender user may write nowhere until Errand grants its role the open queues (OutsideSenderGrants).
            properties.put("errand.broker.sender-role", EmbeddedBroker.SENDER_ROLE);
            properties.put("errand.broker.service-role", EmbeddedBroker.SERVICE_ROLE);
            if (tlsOnly(tls)) {
                // The broker speaks AMQPS alone: every connection of the service checks its certificate, so a
                // process that took the port while the broker was down gets no password.
                properties.put("errand.broker.tls-configuration-name", BROKER_TLS_CONFIGURATION);
                properties.put("quarkus.tls." + BROKER_TLS_CONFIGURATION + ".trust-store.pem.certs",
                        tls.certificate().certificate().toString());
            }
        }
        if (database != null) {
            properties.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
            properties.put("quarkus.datasource.username", database.username());
            properties.put("quarkus.datasource.password", database.password());
        }
        return properties;
    }

    @Override
    public void close() throws Exception {
        if (running == this) {
            running = null;
        }
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            try {
                if (database != null) {
                    database.close();
                }
            } finally {
                closeAll(brokerFiles, lock);
            }
        }
    }
}
