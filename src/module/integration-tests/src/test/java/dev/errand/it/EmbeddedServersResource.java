package dev.errand.it;

import java.util.List;
import java.util.Map;

import dev.errand.it.work.TestWorkProcessor;
import dev.errand.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Artemis and a real PostgreSQL for the module's test run (or RabbitMQ with {@code -Pbroker-rabbitmq}),
 * in a fresh folder so no journal of an earlier run is replayed into this one.
 */
public class EmbeddedServersResource implements QuarkusTestResourceLifecycleManager {

    private static final List<String> WORK_QUEUES = List.of(TestWorkProcessor.SERIAL_QUEUE,
            TestWorkProcessor.PARALLEL_QUEUE, TestWorkProcessor.LIMITED_QUEUE, TestWorkProcessor.ONCE_QUEUE);

    /** A queue nobody consumes (RabbitMqManagementTest): its depth only grows until it is purged. */
    public static final String IDLE_QUEUE = "errand.test-idle";

    @Override
    public Map<String, String> start() {
        return TestServers.start(WORK_QUEUES, List.of(IDLE_QUEUE));
    }

    @Override
    public void stop() {
        // The servers stop with the JVM: other test classes may still be using them until then.
    }
}
