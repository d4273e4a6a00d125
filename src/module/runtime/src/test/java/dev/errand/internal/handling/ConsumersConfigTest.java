package dev.errand.internal.handling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Consumer settings: for every consumer without a name, with Errand's defaults; for one consumer under its channel's. */
class ConsumersConfigTest {

    @Test
    void settingsWithoutAChannelAreEveryConsumersAndWithOneThatConsumersOwn() {
        ConsumersConfig config = mapping(Map.of(
                "errand.consumers.max-retries", "5",
                "errand.consumers.redelivery-delay", "2s",
                "errand.consumers.adaptive-concurrency.enabled", "true",
                "errand.consumers.orders.max-retries", "0",
                "errand.consumers.orders.adaptive-concurrency.window", "10",
                "errand.consumers.\"errand.grants\".concurrency", "64"));

        assertEquals(5, config.everyConsumer().maxRetries());
        assertEquals(Duration.ofSeconds(2), config.everyConsumer().redeliveryDelay());
        assertEquals(true, config.everyConsumer().adaptiveConcurrency().enabled());
        assertEquals(Optional.of(0), config.consumers().get("orders").maxRetries());
        assertEquals(Optional.of(10), config.consumers().get("orders").adaptiveConcurrency().window());
        assertEquals(Optional.empty(), config.consumers().get("orders").redeliveryDelay());
        assertEquals(Optional.of(64), config.consumers().get("errand.grants").concurrency());
        assertEquals(Set.of("orders", "errand.grants"), config.consumers().keySet());
    }

    @Test
    void aConsumerNobodyConfiguredHasNoSettingsOfItsOwnAndEveryConsumerHasErrandsDefaults() {
        ConsumersConfig config = mapping(Map.of());

        assertEquals(null, config.consumers().get("anything"));
        assertEquals(Set.of(), config.consumers().keySet());
        assertEquals(16, config.everyConsumer().concurrency());
        assertEquals(2, config.everyConsumer().maxRetries());
        assertEquals(Duration.ofMinutes(5), config.everyConsumer().maxRedeliveryDelay());
        assertEquals(Optional.empty(), config.everyConsumer().rateLimit());
    }

    private static ConsumersConfig mapping(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ConsumersConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return config.getConfigMapping(ConsumersConfig.class);
    }
}
