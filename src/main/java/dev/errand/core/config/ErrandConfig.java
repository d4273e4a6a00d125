package dev.errand.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.errand.core.contract.WireContract;
import dev.errand.core.embedded.EmbeddedSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the reusable module. */
@ConfigMapping(prefix = "errand")
public interface ErrandConfig {

    /**
     * Folder of the embedded broker journal and database files. Read by {@code ErrandLauncher}
     * before Quarkus starts; listed here so it is documented and validated with the rest.
     */
    @WithDefault(EmbeddedSettings.DEFAULT_DATA_DIR)
    String dataDir();

    /** The embedded servers, used when no broker or datasource is configured. */
    Embedded embedded();

    /** Default retry policy of every consumer. */
    Retry retry();

    /** Per-consumer overrides of {@link #retry()}, keyed by the consumer's incoming channel. */
    Map<String, ConsumerRetry> consumers();

    /** Where failed messages go. */
    DeadLetters deadLetters();

    interface Embedded {
        /** Port of the embedded broker's AMQP 1.0 acceptor, bound to 127.0.0.1. */
        @WithDefault(EmbeddedSettings.DEFAULT_AMQP_PORT)
        int amqpPort();

        /** Durable queues the embedded broker declares at start, besides the dead-letter queue. */
        Optional<List<String>> queues();
    }

    interface Retry {
        /** In-process retries after the first attempt, for transient failures. */
        @WithDefault("5")
        int maxRetries();

        /** Delay before the first retry; each further delay doubles, up to {@link #maxDelay()}. */
        @WithDefault("200ms")
        Duration initialDelay();

        /** Longest delay between two attempts (a Retry-After from downstream may ask for more). */
        @WithDefault("10s")
        Duration maxDelay();

        /** Longest time all attempts of one delivery may take together. */
        @WithDefault("5m")
        Duration maxDuration();

        /**
         * Exception classes (fully qualified) that retrying cannot fix, besides
         * {@code dev.errand.core.handling.PermanentFailure} and contract violations.
         */
        @WithDefault("jakarta.validation.ValidationException,com.fasterxml.jackson.core.JsonProcessingException,"
                + "org.hibernate.exception.ConstraintViolationException")
        List<String> permanentExceptions();
    }

    interface ConsumerRetry {
        Optional<Integer> maxRetries();

        Optional<Duration> initialDelay();

        Optional<Duration> maxDelay();

        Optional<Duration> maxDuration();

        Optional<List<String>> permanentExceptions();
    }

    interface DeadLetters {
        /** Address of the dead-letter queue. */
        @WithDefault(WireContract.DEAD_LETTER_QUEUE)
        String address();
    }
}
