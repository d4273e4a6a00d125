package dev.errand.it.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.internal.broker.BrokerCapabilities;
import dev.errand.internal.broker.BrokerProbe;
import io.quarkus.test.junit.QuarkusTest;

/** The probe against the real (embedded) Artemis. */
@QuarkusTest
class BrokerProbeTest {

    @Inject
    BrokerProbe probe;

    @Test
    void artemisIsFoundWithEverythingErrandUses() {
        BrokerCapabilities artemis = probe.capabilities();

        assertTrue(artemis.known(), "the broker answered");
        assertTrue(artemis.product().contains("artemis"), artemis.product());
        assertTrue(artemis.anonymousRelay() && artemis.delayedDelivery() && artemis.messageGroups()
                && artemis.management(), artemis.describe());
    }
}
