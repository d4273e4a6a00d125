package dev.errand.core.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.qpid.proton.amqp.Symbol;
import org.junit.jupiter.api.Test;

/** What Errand makes of a broker's open frame. */
class BrokerCapabilitiesTest {

    @Test
    void aBrokerWithoutAnonymousRelayIsRefusedWithTheFeatureNamed() {
        // RabbitMQ 3.x's AMQP 1.0 plugin offers no capabilities at all.
        BrokerCapabilities rabbit = BrokerCapabilities.from(
                Map.of(Symbol.valueOf("product"), "RabbitMQ", Symbol.valueOf("version"), "3.10.8"), new Symbol[0]);

        String refusal = rabbit.refusal();

        assertTrue(refusal.contains("ANONYMOUS-RELAY") && refusal.contains("RabbitMQ 3.10.8"), refusal);
    }

    @Test
    void aBrokerWithAnonymousRelayButNoScheduledDeliveryIsAcceptedAndRetriesWaitInTheConsumer() {
        BrokerCapabilities broker = BrokerCapabilities.from(
                Map.of(Symbol.valueOf("product"), "RabbitMQ", Symbol.valueOf("version"), "4.1.0"),
                new Symbol[] { BrokerCapabilities.ANONYMOUS_RELAY });

        assertNull(broker.refusal());
        assertFalse(broker.delayedDelivery());
        assertFalse(broker.messageGroups());
        assertTrue(broker.describe().contains("retries wait in the consumer"), broker.describe());
        assertTrue(broker.describe().contains("no queue depths"), broker.describe());
    }
}
