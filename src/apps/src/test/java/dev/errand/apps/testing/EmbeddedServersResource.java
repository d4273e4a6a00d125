package dev.errand.apps.testing;

import java.util.List;
import java.util.Map;

import dev.errand.apps.coupons.CouponChannels;
import dev.errand.apps.orders.OrderChannels;
import dev.errand.apps.signups.SignupChannels;
import dev.errand.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Artemis and a real PostgreSQL for the demo's test run (or RabbitMQ with {@code -Pbroker-rabbitmq}),
 * in a fresh folder so no journal of an earlier run is replayed into this one.
 */
public class EmbeddedServersResource implements QuarkusTestResourceLifecycleManager {

    private static final List<String> WORK_QUEUES = List.of(CouponChannels.GRANTS_QUEUE, OrderChannels.ORDERS_QUEUE,
            SignupChannels.SIGNUPS_QUEUE);

    @Override
    public Map<String, String> start() {
        return TestServers.start(WORK_QUEUES, List.of());
    }

    @Override
    public void stop() {
        // The servers stop with the JVM: other test classes may still be using them until then.
    }
}
