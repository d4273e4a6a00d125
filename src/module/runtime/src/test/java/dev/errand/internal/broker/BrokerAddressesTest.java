package dev.errand.internal.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The queues an operator declares, read from the channels' addresses. */
class BrokerAddressesTest {

    @Test
    void onArtemisASubscriptionIsDeclaredByItsQueueWithoutTheEventsAddress() {
        SmallRyeConfig config = config(Map.of(
                "mp.messaging.incoming.orders.address", "errand.orders",
                "mp.messaging.incoming.kitchen.address", "errand.events::errand.events.kitchen",
                "mp.messaging.incoming.errand-dead-letters.address", "errand.dead-letters",
                "mp.messaging.outgoing.errand-outbound.address", "not-read"));

        assertEquals(List.of("errand.dead-letters", "errand.events.kitchen", "errand.orders"),
                List.copyOf(BrokerAddresses.declaredQueues(config, "")));
    }

    @Test
    void onRabbitMqTheQueueFormIsTakenOff() {
        SmallRyeConfig config = config(Map.of(
                "mp.messaging.incoming.orders.address", "/amq/queue/errand.orders",
                "mp.messaging.incoming.kitchen.address", "/amq/queue/errand.events.kitchen"));

        assertEquals(List.of("errand.events.kitchen", "errand.orders"),
                List.copyOf(BrokerAddresses.declaredQueues(config, "/amq/queue/")));
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }
}
