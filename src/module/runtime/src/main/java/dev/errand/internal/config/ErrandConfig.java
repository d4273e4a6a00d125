package dev.errand.internal.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.errand.Outbox;
import dev.errand.WireContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the reusable module. */
@ConfigMapping(prefix = "errand")
public interface ErrandConfig {

    /** Defaults the embedded servers' launcher also reads before Quarkus starts. */
    String DEFAULT_DATA_DIR = "errand-data";
    String DEFAULT_AMQP_PORT = "5672";

    /**
     * Folder of the embedded broker journal and database files. Read by the launcher
     * before Quarkus starts; listed here so it is documented and validated with the rest.
     */
    @WithDefault(DEFAULT_DATA_DIR)
    String dataDir();

    /** The embedded servers, used when no broker or datasource is configured. */
    Embedded embedded();

    /** Default retry policy of every consumer. */
    Retry retry();

    /** Default flow control of every consumer. */
    Flow flow();

    /** Per-consumer overrides of {@link #retry()} and {@link #flow()}, keyed by the incoming channel. */
    Map<String, Consumer> consumers();

    /** Where failed messages go. */
    DeadLetters deadLetters();

    /** What happens on SIGTERM. */
    Shutdown shutdown();

    /** Producers' limits per queue address: over its depth, a producer refuses work. */
    Map<String, Backpressure> backpressure();

    /** The transactional outbox relay. */
    Outbox outbox();

    /** Limits on what HTTP clients may send. */
    Http http();

    /** What the health checks call unhealthy. */
    Health health();

    /** How Errand addresses the broker. */
    Broker broker();

    interface Embedded {
        /** Port of the embedded broker's AMQP 1.0 acceptor, bound to 127.0.0.1. */
        @WithDefault(DEFAULT_AMQP_PORT)
        int amqpPort();

        /** Durable queues the embedded broker declares at start, besides the dead-letter queue. */
        Optional<List<String>> queues();
    }

    interface Retry {
        /** In-process retries after a failed attempt, before the message goes back to the broker. */
        @WithDefault("2")
        int maxRetries();

        /** Delay before the first in-process retry; each further delay doubles, up to {@link #maxDelay()}. */
        @WithDefault("200ms")
        Duration initialDelay();

        /** Longest delay between two in-process attempts. */
        @WithDefault("2s")
        Duration maxDelay();

        /** Longest time the in-process attempts of one delivery may take together. */
        @WithDefault("30s")
        Duration maxDuration();

        /**
         * Attempts in all, over every delivery, before a transiently failing message is dead-lettered.
         * Between deliveries it waits on the broker (scheduled delivery), not in a worker.
         */
        @WithDefault("10")
        int maxAttempts();

        /** Delay of the first scheduled redelivery; it doubles per attempt, with jitter. */
        @WithDefault("1s")
        Duration redeliveryDelay();

        /** Longest delay of a scheduled redelivery (a Retry-After from downstream may ask for more). */
        @WithDefault("5m")
        Duration maxRedeliveryDelay();

        /**
         * Exception classes (fully qualified) that retrying cannot fix, besides
         * {@code dev.errand.PermanentFailure} and contract violations.
         */
        @WithDefault("jakarta.validation.ValidationException,com.fasterxml.jackson.core.JsonProcessingException,"
                + "org.hibernate.exception.ConstraintViolationException")
        List<String> permanentExceptions();

        /**
         * Exception classes that are always worth retrying, even when a permanent class is further
         * down their cause chain (a timeout wrapping a validation error, say). Checked first.
         */
        Optional<List<String>> transientExceptions();
    }

    interface Flow {
        /** Messages of one consumer processed at once (the adaptive limit's ceiling). */
        @WithDefault("16")
        int concurrency();

        /**
         * Messages taken from the broker but not yet running, per consumer. When full, the channel
         * takes no more until a slot frees.
         */
        @WithDefault("256")
        int buffer();

        /** While a consumer's circuit breaker is open, how often one message probes it. */
        @WithDefault("1s")
        Duration probeInterval();
    }

    interface Consumer {
        Optional<Integer> maxRetries();

        Optional<Duration> initialDelay();

        Optional<Duration> maxDelay();

        Optional<Duration> maxDuration();

        Optional<Integer> maxAttempts();

        Optional<Duration> redeliveryDelay();

        Optional<Duration> maxRedeliveryDelay();

        Optional<List<String>> permanentExceptions();

        Optional<List<String>> transientExceptions();

        /** Messages processed at once; with adaptive concurrency, the ceiling. */
        Optional<Integer> concurrency();

        Optional<Integer> buffer();

        /** Messages started per second at most; over it, intake pauses. Unset: no limit. */
        Optional<Double> rateLimit();

        /**
         * Names ({@code @CircuitBreakerName}) of the SmallRye Fault Tolerance breakers this consumer's
         * handler goes through. While one is open the consumer pauses instead of failing messages.
         */
        Optional<List<String>> circuitBreakers();

        /** Additive-increase, multiplicative-decrease concurrency. */
        Adaptive adaptiveConcurrency();
    }

    interface Adaptive {
        /** Finds the downstream's capacity by itself, between {@link #min()} and the concurrency setting. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("1")
        int min();

        /** Where the limit starts. */
        @WithDefault("4")
        int initial();

        /** Multiplier applied to the limit when downstream shows overload (429, 5xx, rising latency). */
        @WithDefault("0.7")
        double backoffRatio();

        /** Latency counts as rising when a window's mean exceeds the best window's by this factor. */
        @WithDefault("2.0")
        double latencyTolerance();

        /** Completions per decision window. */
        @WithDefault("20")
        int window();
    }

    interface DeadLetters {
        /** Address of the dead-letter queue. */
        @WithDefault(WireContract.DEAD_LETTER_QUEUE)
        String address();
    }

    interface Shutdown {
        /**
         * How long in-flight messages may take to finish after SIGTERM. Messages not yet started are
         * given back to the broker at once; what is still running after this is left to redelivery.
         */
        @WithDefault("20s")
        Duration gracePeriod();
    }

    interface Backpressure {
        /** Depth (messages waiting, scheduled retries included) above which producers answer 429. */
        long maxDepth();

        /** What the 429's Retry-After says. */
        @WithDefault("5s")
        Duration retryAfter();
    }

    interface Outbox {
        /** The safety-net sweep; a commit wakes the relay at once. */
        @WithDefault("1s")
        Duration sweepInterval();

        /** Rows published per broker-confirmed batch. */
        @WithDefault("500")
        int batch();

        /**
         * Whether this instance publishes the outbox. Off on worker-only instances (profile
         * {@code worker}); at least one instance that shares the database must have it on.
         */
        @WithDefault("true")
        boolean relayEnabled();
    }

    interface Http {
        /**
         * Whether Errand's operator endpoints exist: {@code /errand/consumers}, {@code /errand/dead-letters}
         * and {@code /errand/dashboard}, each behind a role. Read when the service is built.
         */
        @WithDefault("true")
        boolean operatorApi();

        /**
         * Whether Errand's HTTP conventions apply to every endpoint of the service, not only to Errand's
         * own under {@code /errand/}: errors as RFC 7807 problem JSON, the JSON body limit below, and the
         * refusal of cross-site writes. Off, the service's endpoints keep their own style. Read when the
         * service is built.
         */
        @WithDefault("false")
        boolean allEndpoints();

        /**
         * Largest JSON request body, in bytes (checked against {@code Content-Length}); larger ones get
         * a 413 problem. Uploads of other types have their own limits, and every body is bounded by
         * {@code quarkus.http.limits.max-body-size}.
         */
        @WithDefault("65536")
        long maxJsonBytes();
    }

    interface Health {
        /**
         * A consumer that has had work but neither started nor finished a message for this long, while
         * nothing paused it on purpose, is reported DOWN by the liveness check, so that the platform
         * restarts the process and the broker redelivers its messages.
         */
        @WithDefault("5m")
        Duration stallTimeout();
    }

    interface Broker {
        /**
         * Put before a queue name in the addresses Errand sends to: {@code /amq/queue/} on RabbitMQ,
         * whose AMQP 1.0 plugin routes {@code /amq/queue/<name>} to an existing durable queue. An
         * address already starting with {@code /} is sent to as it is.
         */
        Optional<String> addressPrefix();

        /**
         * RabbitMQ's management HTTP API, e.g. {@code http://rabbitmq:15672}: where Errand reads queue
         * depths (backpressure, metrics, dashboard) and the queues' arguments, with the AMQP user, who
         * needs the {@code monitoring} tag. Unset on RabbitMQ: no depths, so backpressure admits.
         * Artemis answers the same questions over AMQP and needs nothing here.
         */
        Optional<java.net.URI> managementUrl();

        /**
         * RabbitMQ's {@code collect_statistics_interval}: depths read from its management API are up
         * to about twice this old, so backpressure also counts this instance's net flow within that
         * time (plus 2 s). Artemis answers with live figures and ignores it.
         */
        @WithDefault("5s")
        java.time.Duration statisticsInterval();

        /**
         * How the connector gives a message back when Errand nacks it (every handler channel's
         * {@code failure-strategy}): {@code modified-failed} on Artemis, which redelivers it later;
         * {@code release} on RabbitMQ, whose AMQP 1.0 plugin closes the session on "modified".
         */
        @WithDefault("modified-failed")
        String failureStrategy();

        /** The RabbitMQ virtual host of Errand's queues, for the management API. */
        @WithDefault("/")
        String vhost();
    }
}
