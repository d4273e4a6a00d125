package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.errand.Task;
import dev.errand.internal.handling.ConsumerPolicies;
import dev.errand.internal.handling.ConsumerPolicy;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.faulttolerance.api.RateLimit;

/**
 * A consumer's settings: its own (configured, or from its handler's annotations when the service is
 * built), then every consumer's, whose defaults are the config root's and written nowhere else.
 */
class ConsumerSettingsTest {

    public record Invoice(String id) {
    }

    @ApplicationScoped
    public static class Invoices {
        @Incoming("invoices")
        @RateLimit(value = 20, window = 1, windowUnit = ChronoUnit.SECONDS)
        void handle(Invoice invoice, Task<Invoice> task) {
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest SERVICE = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Invoice.class, Invoices.class))
            .overrideConfigKey("errand.consumers.concurrency", "32")
            .overrideConfigKey("errand.consumers.max-attempts", "3")
            .overrideConfigKey("errand.consumers.invoices.buffer", "64")
            .overrideConfigKey("errand.consumers.invoices.max-attempts", "5");

    @Inject
    ConsumerPolicies policies;

    @Test
    void aConsumersOwnSettingWinsOverEveryConsumers() {
        ConsumerPolicy policy = policies.forConsumer("invoices");

        assertEquals(64, policy.flow().buffer());
        assertEquals(5, policy.retry().maxAttempts());
        // From @RateLimit, when the service was built.
        assertEquals(Optional.of(20.0), policy.flow().rateLimit());
    }

    @Test
    void whatAConsumerLeavesOutIsEveryConsumersAndWhatNobodySetsIsTheRootsDefault() {
        ConsumerPolicy policy = policies.forConsumer("invoices");

        assertEquals(32, policy.flow().concurrency());
        assertEquals(2, policy.retry().maxRetries());
        assertEquals(Duration.ofMinutes(5), policy.retry().maxRedeliveryDelay());
        assertEquals(1, policy.flow().batchSize());
        assertEquals(List.of(), policy.flow().circuitBreakers());
        assertEquals(0.7, policy.flow().adaptive().backoffRatio());
        assertEquals(false, policy.outsideSenders());
    }
}
