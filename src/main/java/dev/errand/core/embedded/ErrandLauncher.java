package dev.errand.core.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;

/**
 * Starts what is missing, then Quarkus: with no broker configured ({@code amqp-host}) an embedded
 * Artemis, with no datasource configured ({@code quarkus.datasource.jdbc.url}) an embedded
 * PostgreSQL, both keeping their data under {@code errand.data-dir}.
 * <p>
 * This runs before Quarkus because the datasource and the connector read their addresses while the
 * application boots. Call it from the application's {@code @QuarkusMain}.
 */
public final class ErrandLauncher {

    private static final Logger LOG = Logger.getLogger(ErrandLauncher.class);
    /** The dead-letter queue always exists, whatever the application declares. */
    public static final String DEAD_LETTER_QUEUE = "errand.dead-letters";

    private ErrandLauncher() {
    }

    public static void run(String... args) throws Exception {
        Config config = ConfigProvider.getConfig();
        boolean needBroker = config.getOptionalValue("amqp-host", String.class).isEmpty();
        boolean needDatabase = config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).isEmpty();
        if (!needBroker && !needDatabase) {
            LOG.info("Broker and datasource are configured: starting nothing embedded");
            Quarkus.run(args);
            return;
        }
        EmbeddedServers servers = EmbeddedServers.start(settings(config), needBroker, needDatabase);
        servers.connectionProperties().forEach(System::setProperty);
        // Quarkus stops the application from its own shutdown hook; ours waits for it, so messages
        // in flight are settled before the broker and the database go away.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAfterQuarkus(servers), "errand-embedded-stop"));
        Quarkus.run(args);
    }

    static EmbeddedSettings settings(Config config) {
        Path dataDir = Path.of(config.getOptionalValue("errand.data-dir", String.class).orElse("errand-data"));
        int amqpPort = config.getOptionalValue("errand.embedded.amqp-port", Integer.class).orElse(5672);
        List<String> queues = new ArrayList<>(config.getOptionalValues("errand.embedded.queues", String.class)
                .orElse(List.of()));
        if (!queues.contains(DEAD_LETTER_QUEUE)) {
            queues.add(DEAD_LETTER_QUEUE);
        }
        return new EmbeddedSettings(dataDir, amqpPort, queues);
    }

    private static void closeAfterQuarkus(EmbeddedServers servers) {
        Application application = Application.currentApplication();
        if (application != null) {
            // Quarkus' own hook is stopping it; returns once every channel and pool has closed.
            application.awaitShutdown();
        }
        try {
            servers.close();
        } catch (Exception e) {
            LOG.warn("Embedded servers did not stop cleanly", e);
        }
    }

    /** For tests and tools that start the servers themselves. */
    public static Map<String, String> startForTests(Path dataDir, List<String> queues) throws Exception {
        List<String> all = new ArrayList<>(queues);
        all.add(DEAD_LETTER_QUEUE);
        EmbeddedServers servers = EmbeddedServers.start(new EmbeddedSettings(dataDir, 0, all), true, true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                servers.close();
            } catch (Exception e) {
                LOG.warn("Embedded servers did not stop cleanly", e);
            }
        }, "errand-embedded-test-stop"));
        return servers.connectionProperties();
    }
}
