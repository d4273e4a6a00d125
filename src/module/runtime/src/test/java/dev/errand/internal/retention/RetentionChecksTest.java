package dev.errand.internal.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.errand.internal.broker.BrokerConfig;
import dev.errand.internal.config.RetentionConfig;
import dev.errand.internal.handling.ConsumerPolicies;
import dev.errand.internal.handling.ConsumersConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The start-up refuses a retention under which a message could run twice: a marker or a task's steps
 * gone while a copy of the message can still come, or a finished call's record gone before its marker.
 */
class RetentionChecksTest {

    @Test
    void theDefaultsAreSafeForTheDefaultRetries() {
        assertEquals(List.of(), checks(Map.of()).problems());
    }

    @Test
    void aMarkerWindowShorterThanAConsumersRetriesIsRefusedNamingTheConsumerAndItsSettings() {
        List<String> problems = checks(Map.of("errand.retention.processed-messages", "10m",
                "errand.consumers.invoices.max-attempts", "5",
                "errand.consumers.invoices.redelivery-delay", "1m",
                "errand.consumers.invoices.max-redelivery-delay", "5m")).problems();

        assertEquals(1, problems.size(), problems.toString());
        // 1 + 2 + 4 + 5 (capped) minutes between its five attempts.
        assertTrue(problems.get(0).startsWith("errand.retention.processed-messages=PT10M would remove a message's marker"
                + " while a copy of it can still arrive"), problems.get(0));
        assertTrue(problems.get(0).contains("consumer \"invoices\" may still receive a message PT12M after its first attempt"),
                problems.get(0));
    }

    @Test
    void taskStepsKeptShorterThanTheRetriesAreRefusedToo() {
        List<String> problems = checks(Map.of("errand.retention.task-steps", "1s")).problems();

        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("errand.retention.task-steps=PT1S would remove a task's recorded steps"),
                problems.get(0));
    }

    @Test
    void taskStepsKeptShorterThanMarkersAreRefused() {
        List<String> problems = checks(Map.of("errand.retention.task-steps", "1d")).problems();

        assertEquals(List.of("errand.retention.task-steps=PT24H is shorter than errand.retention.processed-messages=PT72H:"
                + " a copy let in by its marker's window resumes after its recorded steps, which must still be there"),
                problems);
    }

    @Test
    void aLongRunOfAttemptsDoesNotOverflowTheSpan() {
        ConsumerPolicies policies = policies(config(Map.of("errand.consumers.invoices.max-attempts", "1000",
                "errand.consumers.invoices.redelivery-delay", "1s",
                "errand.consumers.invoices.max-redelivery-delay", "1m")));

        assertTrue(policies.redelivery("invoices").span().compareTo(Duration.ofMinutes(990)) > 0);
    }

    @Test
    void finishedCallsKeptShorterThanMarkersAreRefused() {
        List<String> problems = checks(Map.of("errand.retention.finished-calls", "1d")).problems();

        assertEquals(List.of("errand.retention.finished-calls=PT24H is shorter than errand.retention.processed-messages=PT72H:"
                + " a late copy of a call's message is stopped by its marker, then by the call's record; the record must"
                + " stay at least as long as the marker"), problems);
    }

    @Test
    void theRetrySpanAddsEveryDelayDoublingUpToItsCap() {
        ConsumerPolicies policies = policies(config(Map.of("errand.consumers.invoices.max-attempts", "4",
                "errand.consumers.invoices.redelivery-delay", "10s",
                "errand.consumers.invoices.max-redelivery-delay", "30s")));

        assertEquals(Duration.ofSeconds(10 + 20 + 30), policies.redelivery("invoices").span());
    }

    private static RetentionChecks checks(Map<String, String> settings) {
        SmallRyeConfig config = config(settings);
        return new RetentionChecks(config.getConfigMapping(RetentionConfig.class), policies(config));
    }

    private static ConsumerPolicies policies(SmallRyeConfig config) {
        return new ConsumerPolicies(config.getConfigMapping(ConsumersConfig.class),
                config.getConfigMapping(BrokerConfig.class), config);
    }

    private static SmallRyeConfig config(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("mp.messaging.incoming.invoices.connector", "smallrye-amqp",
                "mp.messaging.incoming.invoices.address", "invoices"));
        all.putAll(settings);
        // Durations as Quarkus reads them ("5s"), as in the running service.
        return new SmallRyeConfigBuilder().withMapping(ConsumersConfig.class).withMapping(RetentionConfig.class)
                .withMapping(BrokerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 500)).build();
    }
}
