package dev.errand.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.errand.apps.coupons.CouponChannels;
import dev.errand.apps.orders.OrderChannels;
import dev.errand.apps.signups.SignupChannels;
import dev.errand.embedded.EmbeddedLauncher;
import dev.errand.testing.work.TestWorkProcessor;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Artemis and a real PostgreSQL for the test run, in a fresh folder so no journal of an
 * earlier run is replayed into this one.
 */
public class EmbeddedServersResource implements QuarkusTestResourceLifecycleManager {

    /** {@code -Dtest-broker=rabbitmq} (Maven profile broker-rabbitmq): bench/rabbitmq/start.sh's broker. */
    private static final boolean RABBITMQ = RabbitMq.selected();

    private static final List<String> WORK_QUEUES = List.of(CouponChannels.GRANTS_QUEUE, OrderChannels.ORDERS_QUEUE,
            SignupChannels.SIGNUPS_QUEUE, TestWorkProcessor.SERIAL_QUEUE, TestWorkProcessor.PARALLEL_QUEUE,
            TestWorkProcessor.LIMITED_QUEUE, TestWorkProcessor.ONCE_QUEUE);

    @Override
    public Map<String, String> start() {
        try {
            Path dataDir = Files.createTempDirectory("errand-test-");
            if (RABBITMQ) {
                return onRabbitMq(dataDir);
            }
            return EmbeddedLauncher.startForTests(dataDir, WORK_QUEUES);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded broker and database", e);
        }
    }

    private static Map<String, String> onRabbitMq(Path dataDir) throws Exception {
        Map<String, String> properties = new java.util.HashMap<>(EmbeddedLauncher.startDatabaseForTests(dataDir));
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
        // A queue nobody consumes (RabbitMqManagementTest): its depth only grows until it is purged.
        properties.put("errand.backpressure.\"errand.test-idle\".max-depth", "20");
        // The database is new for each run, the broker is not: what a failed run left must go.
        for (String queue : WORK_QUEUES) {
            RabbitMq.purge(managementUrl, username, password, queue);
        }
        RabbitMq.purge(managementUrl, username, password, "errand.dead-letters");
        RabbitMq.purge(managementUrl, username, password, "errand.test-idle");
        return properties;
    }

    @Override
    public void stop() {
        // The servers stop with the JVM: other test classes may still be using them until then.
    }
}
