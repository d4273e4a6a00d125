package dev.errand.internal.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Errand's meters, named after Micrometer's conventions (dots, base units; Prometheus shows
 * {@code errand_handler_messages_total}, {@code errand_handler_duration_seconds_bucket}, …):
 * <ul>
 * <li>{@code errand.handler.messages} counter, tags {@code consumer} and {@code outcome}
 * ({@link HandlerOutcome});</li>
 * <li>{@code errand.handler.duration} timer with a histogram, tag {@code consumer}: one handled
 * delivery, retries in process included;</li>
 * <li>{@code errand.messages.sent} counter, tag {@code address}: messages the broker accepted from
 * Errand (tasks, retries, dead letters, outbox);</li>
 * </ul>
 * plus the gauges registered by {@code ConsumerRegistry} and {@link QueueMetrics}.
 */
@ApplicationScoped
public class ErrandMetrics {

    /** What a handled delivery came to, as the {@code outcome} tag says it. */
    public enum HandlerOutcome {
        SUCCEEDED,
        DUPLICATE_SKIPPED,
        RETRIED,
        DEAD_LETTERED,
        RELEASED,
        WAITED_FOR_BREAKER,
        /** A workflow waiting (a durable sleep, its children): back later, no attempt counted. */
        SUSPENDED;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    // Looked up on every message: built once per tag combination rather than through a builder each time.
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public ErrandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A delivery handled: counted by outcome and timed. */
    public void handled(String consumer, HandlerOutcome outcome, Duration took) {
        counted(consumer, outcome);
        timers.computeIfAbsent(consumer, any -> Timer.builder("errand.handler.duration")
                .description("Time to handle one delivery, in-process retries included")
                .tag("consumer", consumer)
                .publishPercentileHistogram()
                .register(registry)).record(took);
    }

    /** A delivery settled without running (a contract violation): counted, not timed. */
    public void counted(String consumer, HandlerOutcome outcome) {
        counters.computeIfAbsent(consumer + "|" + outcome, any -> Counter.builder("errand.handler.messages")
                .description("Deliveries handled, by outcome")
                .tag("consumer", consumer).tag("outcome", outcome.tag())
                .register(registry)).increment();
    }

    /** A workflow's code runs: at its start and at every resume (a timer, a wake-up, a replay). */
    public void workflowRun(String function) {
        counters.computeIfAbsent("workflow|" + function, any -> Counter.builder("errand.workflow.runs")
                .description("Runs of a workflow's code: its start and every resume")
                .tag("function", function)
                .register(registry)).increment();
    }

    public void sent(String address) {
        counters.computeIfAbsent("sent|" + address, any -> Counter.builder("errand.messages.sent")
                .description("Messages the broker accepted from Errand")
                .tag("address", address)
                .register(registry)).increment();
    }

    public MeterRegistry registry() {
        return registry;
    }
}
