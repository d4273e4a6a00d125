package dev.errand.embedded;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.errand.WireContract;
import dev.errand.internal.embedded.EmbeddedStarter;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

/**
 * Starts the embedded servers that are missing: with no broker configured an embedded Artemis, with no
 * datasource configured an embedded PostgreSQL, both keeping their data under {@code errand.data-dir}, or,
 * for tests, in a fresh folder removed when the JVM exits. Found by
 * {@link dev.errand.internal.embedded.EmbeddedServersSource} through {@code META-INF/services} while Quarkus
 * builds its configuration; a native worker build leaves this whole package out.
 */
public final class EmbeddedLauncher implements EmbeddedStarter {

    private static final Logger LOG = Logger.getLogger(EmbeddedLauncher.class);

    /** The test runs' folders in the temporary folder: {@code errand-test-<n>}. */
    static final String TEST_FOLDER_PREFIX = "errand-test-";

    @Override
    public Map<String, String> start(ConfigSourceContext config, boolean needBroker, boolean needDatabase,
            boolean forTests) throws Exception {
        if (forTests) {
            Path dataDir = newTestFolder();
            return startUntilExit(dataDir, List.of(), needBroker, needDatabase);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        Path dataDir = dataDir(config);
        LocalCredentials credentials = LocalCredentials.loadOrCreate(dataDir.toAbsolutePath());
        if (wantsDemoUsers(config)) {
            // The demo stays usable with one command and still refuses strangers: generated users.
            properties.putAll(credentials.httpUserProperties());
            LOG.infof("No HTTP users configured: demo users %s, passwords in %s",
                    LocalCredentials.DEMO_USERS.keySet(), credentials.file());
        }
        EmbeddedServers servers = EmbeddedServers.start(settings(config, credentials), needBroker, needDatabase);
        properties.putAll(servers.connectionProperties());
        // Quarkus stops the application from its own shutdown hook; ours waits for it, so messages
        // in flight are settled before the broker and the database go away.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAfterQuarkus(servers), "errand-embedded-stop"));
        return properties;
    }

    /**
     * A fresh folder for this run: an old journal would replay its messages into it. Folders that earlier
     * runs left behind (a test JVM killed before its shutdown hook ran) go first, if no process holds them.
     */
    public static Path newTestFolder() throws IOException {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var folders = Files.newDirectoryStream(temp, TEST_FOLDER_PREFIX + "*")) {
            for (Path folder : folders) {
                if (Files.isDirectory(folder) && DataFolderLock.isFree(folder)) {
                    deleteQuietly(folder);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Could not look for earlier test runs' folders in %s: %s", temp, e);
        }
        return Files.createTempDirectory(TEST_FOLDER_PREFIX);
    }

    // Read before Quarkus has a Config, so not through EmbeddedConfig; the defaults are the same constants.
    static EmbeddedSettings settings(ConfigSourceContext config, LocalCredentials credentials) throws IOException {
        Path dataDir = dataDir(config);
        int amqpPort = value(config, "errand.embedded.amqp-port").map(Integer::parseInt)
                .orElse(Integer.parseInt(EmbeddedSettings.DEFAULT_AMQP_PORT));
        List<String> queues = value(config, "errand.embedded.queues")
                .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(q -> !q.isEmpty()).toList())
                .orElse(List.of());
        String deadLetters = value(config, "errand.dead-letters.address").orElse(WireContract.DEAD_LETTER_QUEUE);
        return new EmbeddedSettings(dataDir, amqpPort, withDeadLetterQueue(queues, deadLetters),
                brokerUser(config, credentials), credentials.senderUser(), credentials.databasePassword(), deadLetters,
                brokerMemory(config), tls(config, dataDir, credentials));
    }

    static Optional<String> value(ConfigSourceContext config, String name) {
        ConfigValue value = config.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? Optional.empty()
                : Optional.of(value.getValue());
    }

    /** {@code errand.embedded.broker-memory} as written ({@code 64M}, {@code 1G}), else a share of the heap. */
    private static long brokerMemory(ConfigSourceContext config) {
        return value(config, "errand.embedded.broker-memory")
                .map(size -> new MemorySizeConverter().convert(size).asLongValue())
                .orElseGet(() -> EmbeddedSettings.defaultBrokerMemory(Runtime.getRuntime().maxMemory()));
    }

    /**
     * With {@code errand.embedded.amqps-port} set, the broker speaks AMQPS alone, with a certificate made at
     * the first start in {@code <data-dir>/tls} and kept (outside senders trust {@code tls/broker.crt}).
     */
    private static EmbeddedSettings.Tls tls(ConfigSourceContext config, Path dataDir, LocalCredentials credentials)
            throws IOException {
        Optional<Integer> port = value(config, "errand.embedded.amqps-port").map(Integer::parseInt);
        if (port.isEmpty()) {
            return null;
        }
        LocalCertificate certificate = LocalCertificate.loadOrCreate(dataDir.toAbsolutePath().resolve("tls"),
                "broker", credentials.keyStorePassword());
        return new EmbeddedSettings.Tls(port.get(), certificate, false);
    }

    private static Path dataDir(ConfigSourceContext config) {
        return Path.of(value(config, "errand.data-dir").orElse(EmbeddedSettings.DEFAULT_DATA_DIR));
    }

    /** Configured credentials ({@code amqp-username}, {@code amqp-password}) win over generated ones. */
    private static BrokerUser brokerUser(ConfigSourceContext config, LocalCredentials credentials) {
        BrokerUser generated = credentials.brokerUser();
        return new BrokerUser(value(config, "amqp-username").orElse(generated.username()),
                value(config, "amqp-password").orElse(generated.password()));
    }

    /** A service that turned on Quarkus' embedded users and configured none: the demo. */
    private static boolean wantsDemoUsers(ConfigSourceContext config) {
        if (!value(config, "quarkus.security.users.embedded.enabled").map(Boolean::parseBoolean).orElse(false)) {
            return false;
        }
        for (var names = config.iterateNames(); names.hasNext();) {
            String name = names.next();
            if (name.startsWith("quarkus.security.users.embedded.users.") && value(config, name).isPresent()) {
                return false;
            }
        }
        return true;
    }

    /** The dead-letter queue always exists, whatever the application declares. */
    private static List<String> withDeadLetterQueue(List<String> queues, String deadLetters) {
        List<String> all = new ArrayList<>(queues);
        if (!all.contains(deadLetters)) {
            all.add(deadLetters);
        }
        return all;
    }

    private static void closeAfterQuarkus(EmbeddedServers servers) {
        Application application = Application.currentApplication();
        if (application != null) {
            // Quarkus' own hook is stopping it; returns once every channel and pool has closed.
            application.awaitShutdown();
        }
        close(servers);
    }

    private static void close(EmbeddedServers servers) {
        try {
            servers.close();
        } catch (Exception e) {
            LOG.warn("Embedded servers did not stop cleanly", e);
        }
    }

    /** What tests hand to an outside sender: the least-privileged broker user. */
    public static final String TEST_SENDER_USERNAME = "test.amqp-sender-username";
    public static final String TEST_SENDER_PASSWORD = "test.amqp-sender-password";
    /** The plain AMQP port, the AMQPS one, and the trust store (PKCS12) holding the broker's certificate. */
    public static final String TEST_AMQP_PLAIN_PORT = "test.amqp-plain-port";
    public static final String TEST_AMQPS_PORT = "test.amqps-port";
    public static final String TEST_AMQPS_TRUST_STORE = "test.amqps-trust-store";
    public static final String TEST_AMQPS_TRUST_STORE_PASSWORD = "test.amqps-trust-store-password";

    private static void deleteQuietly(Path folder) {
        try {
            // File by file, going on past what cannot be deleted (a file PostgreSQL removed meanwhile).
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    file.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    directory.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Could not delete the test servers' folder %s: %s", folder, e);
        }
    }

    /**
     * For tests against an external broker: the embedded database alone, until the JVM exits; the
     * folder (a fresh one of the test run's) is deleted then.
     */
    public static Map<String, String> startDatabaseForTests(Path dataDir) throws Exception {
        return startUntilExit(dataDir, List.of(), false, true);
    }

    /**
     * For tests that start the servers themselves, on a free port, until the JVM exits; the folder (a
     * fresh one of the test run's) is deleted then.
     */
    public static Map<String, String> startForTests(Path dataDir, List<String> queues) throws Exception {
        return startUntilExit(dataDir, queues, true, true);
    }

    private static Map<String, String> startUntilExit(Path dataDir, List<String> queues, boolean withBroker,
            boolean withDatabase) throws Exception {
        EmbeddedSettings settings = EmbeddedSettings.forTests(dataDir,
                withBroker ? withDeadLetterQueue(queues, WireContract.DEAD_LETTER_QUEUE) : queues);
        EmbeddedServers servers = EmbeddedServers.start(settings, withBroker, withDatabase);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close(servers);
            // The run's folder goes with it: a test run leaves 200 MB (PostgreSQL's binaries and cluster,
            // the broker's journal), and a few hundred runs filled this machine's disk.
            deleteQuietly(dataDir);
        }, "errand-embedded-test-stop"));
        Map<String, String> properties = new LinkedHashMap<>(servers.connectionProperties());
        if (withBroker) {
            properties.put(TEST_SENDER_USERNAME, servers.senderUser().username());
            properties.put(TEST_SENDER_PASSWORD, servers.senderUser().password());
            properties.put(TEST_AMQP_PLAIN_PORT, properties.get("amqp-port"));
            properties.put(TEST_AMQPS_PORT, Integer.toString(settings.tls().port()));
            properties.put(TEST_AMQPS_TRUST_STORE, settings.tls().trustStore().toString());
            properties.put(TEST_AMQPS_TRUST_STORE_PASSWORD, settings.tls().password());
        }
        return properties;
    }
}
