package dev.errand.internal.handling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.internal.handlers.HandlerCatalog;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Settings that name a consumer or a breaker that does not exist stop the service at start-up. */
class StartupChecksTest {

    @BeforeEach
    void aServiceWithAnInvoicesHandlerBehindTheBillingBreaker() {
        HandlerCatalog.record(List.of("invoices"), Set.of("billing"));
    }

    @Test
    void settingsForAConsumerThatDoesNotExistAreRefusedNamingTheConsumersThereAre() {
        List<String> problems = checks(Map.of("errand.consumers.invoicez.concurrency", "4")).problems();

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("errand.consumers.\"invoicez\" configures a consumer that does not exist"),
                problems.get(0));
        assertTrue(problems.get(0).contains("Consumers of this service: [invoices]"), problems.get(0));
    }

    @Test
    void anUnknownBreakerNameIsRefusedNamingTheBreakersThereAre() {
        List<String> problems = checks(Map.of("errand.consumers.invoices.circuit-breakers", "biling")).problems();

        assertEquals(List.of("errand.consumers.\"invoices\".circuit-breakers names \"biling\", but no method has"
                + " @CircuitBreakerName(\"biling\"). Breakers of this service: [billing]"), problems);
    }

    @Test
    void aChannelConfiguredByHandIsAConsumerToo() {
        List<String> problems = checks(Map.of("errand.consumers.legacy.concurrency", "2",
                "mp.messaging.incoming.legacy.connector", "smallrye-amqp",
                "errand.consumers.invoices.circuit-breakers", "billing")).problems();

        assertEquals(List.of(), problems);
    }

    @Test
    void aHandlerWhoseQueueIsBlankIsRefused() {
        List<String> problems = checks(Map.of("mp.messaging.incoming.invoices.address", " ")).problems();

        assertEquals(List.of("The handler of channel \"invoices\" has no queue: mp.messaging.incoming.invoices.address"
                + " is empty"), problems);
    }

    private static StartupChecks checks(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("mp.messaging.incoming.invoices.address", "invoices"));
        all.putAll(settings);
        // Durations as Quarkus reads them ("5s"), as in the running service.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ConsumersConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 500)).build();
        return new StartupChecks(config.getConfigMapping(ConsumersConfig.class), config, List.of());
    }
}
