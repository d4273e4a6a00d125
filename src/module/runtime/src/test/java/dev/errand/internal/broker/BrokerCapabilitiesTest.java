package dev.errand.internal.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.qpid.proton.amqp.Symbol;
import org.junit.jupiter.api.Test;

/** What Errand makes of a broker's open frame. */
class BrokerCapabilitiesTest {

    @Test
    void rabbitMqsPluginOffersNothingAndEveryFallbackIsNamed() {
        // RabbitMQ 3.x's AMQP 1.0 plugin offers no capabilities at all.
        BrokerCapabilities rabbit = BrokerCapabilities.from(
                Map.of(Symbol.valueOf("product"), "RabbitMQ", Symbol.valueOf("version"), "3.10.8"), new Symbol[0]);

        assertFalse(rabbit.anonymousRelay() || rabbit.delayedDelivery() || rabbit.messageGroups() || rabbit.management());
        String line = rabbit.describe();
        assertTrue(line.startsWith("RabbitMQ 3.10.8"), line);
        assertTrue(line.contains("one link per address") && line.contains("retries wait in the consumer")
                && line.contains("per-key order holds within one instance") && line.contains("no queue depths")
                && line.contains("set errand.broker.management-url"), line);
    }

    @Test
    void rabbitMqWithItsManagementApiAnsweringHasQueueDepths() {
        BrokerCapabilities rabbit = BrokerCapabilities.from(
                Map.of(Symbol.valueOf("product"), "RabbitMQ", Symbol.valueOf("version"), "3.10.8"), new Symbol[0])
                .withManagement(true);

        assertFalse(rabbit.artemis());
        assertTrue(rabbit.management());
        assertTrue(rabbit.describe().contains("management yes (HTTP API)"), rabbit.describe());
    }

    @Test
    void aBrokerThatCouldNotBeAskedIsAssumedToBeArtemisAndSaysSo() {
        BrokerCapabilities unknown = BrokerCapabilities.unknown();

        assertTrue(unknown.anonymousRelay() && unknown.delayedDelivery() && unknown.artemis());
        assertTrue(unknown.describe().startsWith("broker not reachable"), unknown.describe());
    }
}
