package dev.errand.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.errand.embedded.EmbeddedLauncher;

/**
 * The broker and database of a test run, for a module's {@code QuarkusTestResourceLifecycleManager}: a real
 * Artemis and a real PostgreSQL in a fresh folder, so no journal of an earlier run is replayed into this
 * one; or, on the RabbitMQ run ({@code -Pbroker-rabbitmq}), bench/rabbitmq/start.sh's broker beside the
 * embedded database.
 */
public final class TestServers {

    private TestServers() {
    }

    /**
     * Starts the servers; returns the service's connection settings.
     *
     * @param workQueues the queues the application consumes: declared up front on Artemis, emptied on
     *                   RabbitMQ (whose definitions declare them)
     * @param idleQueues queues nobody consumes, emptied on RabbitMQ too
     */
    public static Map<String, String> start(List<String> workQueues, List<String> idleQueues) {
        try {
            Path dataDir = EmbeddedLauncher.newTestFolder();
            if (RabbitMq.selected()) {
                return onRabbitMq(dataDir, workQueues, idleQueues);
            }
            return EmbeddedLauncher.startForTests(dataDir, workQueues);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded broker and database", e);
        }
    }

    private static Map<String, String> onRabbitMq(Path dataDir, List<String> workQueues, List<String> idleQueues)
            throws Exception {
        Map<String, String> properties = new HashMap<>(EmbeddedLauncher.startDatabaseForTests(dataDir));
        String username = "errand";
        String password = "errand-local-only";
        String managementUrl = "http://127.0.0.1:" + System.getProperty("test-rabbitmq-management-port", "15682");
        properties.put("amqp-host", "127.0.0.1");
        properties.put("amqp-port", System.getProperty("test-rabbitmq-port", "5682"));
        properties.put("amqp-username", username);
        properties.put("amqp-password", password);
        // definitions.json's least-privileged user, as outside senders get it (AnySender).
        properties.put(EmbeddedLauncher.TEST_SENDER_USERNAME, "errand-sender");
        properties.put(EmbeddedLauncher.TEST_SENDER_PASSWORD, "errand-sender-local-only");
        // It may not write to the default exchange: the queues open to it are bound to errand.outside.
        properties.put("test.sender-address-prefix", "/exchange/errand.outside/");
        properties.put("errand.broker.management-url", managementUrl);
        properties.put("errand.broker.statistics-interval", "1s"); // bench/rabbitmq/start.sh's
        // The database is new for each run, the broker is not: what a failed run left must go.
        for (String queue : workQueues) {
            RabbitMq.purge(managementUrl, username, password, queue);
        }
        for (String queue : idleQueues) {
            RabbitMq.purge(managementUrl, username, password, queue);
        }
        RabbitMq.purge(managementUrl, username, password, "errand.dead-letters");
        return properties;
    }
}
