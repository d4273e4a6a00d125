package dev.errand.internal.handling;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.errand.Origin;
import dev.errand.Steps;
import dev.errand.TaskHandler;
import dev.errand.internal.contract.ContractViolation;
import dev.errand.internal.contract.Envelope;
import dev.errand.internal.contract.FailureKind;
import dev.errand.internal.database.DatabaseOutage;
import dev.errand.internal.flow.AimdLimit;
import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.flow.ConcurrencyLimit;
import dev.errand.internal.idempotency.IdempotentExecutor;
import dev.errand.internal.metrics.ErrandMetrics;
import dev.errand.internal.tracing.Tracing;
import dev.errand.internal.trust.UntrustedSender;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * One consumer: an incoming channel that Errand runs, made once at start-up from its settings. It
 * owns what every message of the channel shares: its policy, its dispatcher (order, priority,
 * concurrency, rate, pauses), its breakers' binding; each message it takes becomes a {@link Delivery}
 * that asks it, not a map keyed by the channel's name, for what it needs.
 */
public final class Consumer {

    private static final Logger LOG = Logger.getLogger(Consumer.class);

    private final ConsumerPolicy policy;
    private final Pipeline pipeline;
    private final ChannelDispatcher<Delivery<?>> dispatcher;

    Consumer(ConsumerPolicy policy, Pipeline pipeline, ScheduledExecutorService timer,
            java.util.function.Consumer<Boolean> pauseChannel) {
        this.policy = policy;
        this.pipeline = pipeline;
        ConsumerPolicy.Flow flow = policy.flow();
        ConsumerPolicy.Adaptive adaptive = flow.adaptive();
        ConcurrencyLimit limit = adaptive.enabled()
                ? new AimdLimit(adaptive.min(), adaptive.initial(), flow.concurrency(), adaptive.backoffRatio(),
                        adaptive.latencyTolerance(), adaptive.window())
                : ConcurrencyLimit.fixed(flow.concurrency());
        Bucket rate = flow.rateLimit().map(Consumer::rateLimit).orElse(null);
        this.dispatcher = new ChannelDispatcher<>(policy.channel(), flow.concurrency(), flow.buffer(), limit, rate,
                flow.probeInterval(), timer, pauseChannel, this::breakerOpen, flow.batchSize(), this::runBatch,
                pipeline.background);
        pipeline.background.addCapacity(flow.concurrency());
        pipeline.breakers.bind(policy, dispatcher);
        LOG.infof("Consumer %s: concurrency %s, buffer %d, batch %d, rate limit %s, circuit breakers %s",
                policy.channel(), adaptive.enabled() ? "adaptive up to " + flow.concurrency() : flow.concurrency(),
                flow.buffer(), flow.batchSize(), flow.rateLimit().map(perSecond -> perSecond + "/s").orElse("none"),
                flow.circuitBreakers());
    }

    /**
     * Takes a message in: its signature, then the contract, then its turn in the dispatcher. The stage
     * completes when the consumer has room for the next message, so returning it from the
     * {@code @Incoming} method is what keeps the channel from taking more than the consumer can hold.
     */
    public <T> CompletionStage<Void> take(Message<?> message, Class<T> type, TaskHandler<T> handler) {
        return take(message, type, task -> {
            handler.handle(task);
            return RunOutcome.DONE;
        });
    }

    /** The same, for a run that may ask to come back later: a durable function's generated bridge's. */
    public <T> CompletionStage<Void> take(Message<?> message, Class<T> type, MessageRun<T> handler) {
        try {
            return dispatch(message, type, handler);
        } catch (RuntimeException e) {
            // An exception out of an @Incoming method ends the channel's stream: give the message back
            // instead, and the channel goes on.
            LOG.errorf(e, "Could not take a message of %s; releasing it", policy.channel());
            return message.nack(e);
        }
    }

    private <T> CompletionStage<Void> dispatch(Message<?> message, Class<T> type, MessageRun<T> handler) {
        String channel = policy.channel();
        // The queue comes from the channel, not from the message's "to", which many senders leave empty.
        // Who wrote it is decided first: nothing of an unsigned message is trusted.
        Envelope envelope = pipeline.admission.admit(pipeline.reader.read(message).fromQueue(policy.queue()));
        AttemptHistory history = AttemptHistory.of(envelope);
        if (envelope.origin() == Origin.OUTSIDE && !policy.outsideSenders()) {
            // Not processed and not marked: the service's own message with this id still runs when it comes.
            history.failed(new UntrustedSender(channel), pipeline.clock.instant());
            pipeline.metrics.counted(channel, ErrandMetrics.HandlerOutcome.DEAD_LETTERED);
            return pipeline.settler.deadLetter(channel, message, envelope, FailureKind.UNTRUSTED_SENDER, history);
        }
        String tooLate = pipeline.lateCopies.tooLate(channel, message, envelope.messageId(),
                pipeline.clock.instant());
        if (tooLate != null) {
            // Not run and not marked: a replay is a new copy, made now, and runs.
            history.failed(new PastMarkerRetention(tooLate), pipeline.clock.instant());
            pipeline.metrics.counted(channel, ErrandMetrics.HandlerOutcome.DEAD_LETTERED);
            return pipeline.settler.deadLetter(channel, message, envelope, FailureKind.PAST_MARKER_RETENTION, history);
        }
        T payload;
        try {
            payload = pipeline.reader.payload(envelope, type);
        } catch (ContractViolation violation) {
            history.failed(violation, pipeline.clock.instant());
            pipeline.metrics.counted(channel, ErrandMetrics.HandlerOutcome.DEAD_LETTERED);
            return pipeline.settler.deadLetter(channel, message, envelope, FailureKind.CONTRACT_VIOLATION, history);
        }
        return dispatcher.submit(new Delivery<>(this, message, envelope, payload, handler, history));
    }

    /**
     * Runs deliveries of this consumer as a batch: their handlers one after the other in one
     * transaction with their markers ({@link IdempotentExecutor#runBatch}). Those that ran or were
     * duplicates are settled as usual; any other goes on alone, as {@link Delivery#run} would take it,
     * so each ends in exactly one outcome whatever happened to the batch.
     */
    private List<ChannelDispatcher.Result> runBatch(List<Delivery<?>> deliveries) {
        List<String> ids = new ArrayList<>(deliveries.size());
        List<Callable<Boolean>> calls = new ArrayList<>(deliveries.size());
        for (Delivery<?> delivery : deliveries) {
            ids.add(delivery.idempotencyId());
            calls.add(delivery::attemptInBatch);
        }
        List<IdempotentExecutor.Result> outcomes = pipeline.idempotent.runBatch(policy.channel(), ids, calls);
        List<ChannelDispatcher.Result> results = new ArrayList<>(deliveries.size());
        for (int i = 0; i < deliveries.size(); i++) {
            results.add(deliveries.get(i).afterBatch(outcomes.get(i)));
        }
        return results;
    }

    /**
     * Whether any circuit breaker of the consumer is not closed right now (half-open counts as open:
     * the breaker is still trying its probes).
     */
    boolean breakerOpen() {
        return pipeline.breakers.anyOpen(policy);
    }

    /** From shutdown on: transient failures go back to the broker instead of being retried here. */
    boolean stopping() {
        return pipeline.policies.isStopping();
    }

    /** Whether the broker can hold a message until a given time (Artemis can; RabbitMQ's plugin cannot). */
    boolean brokerSchedules() {
        return pipeline.broker.capabilities().delayedDelivery();
    }

    public String channel() {
        return policy.channel();
    }

    ConsumerPolicy policy() {
        return policy;
    }

    ChannelDispatcher<Delivery<?>> dispatcher() {
        return dispatcher;
    }

    DatabaseOutage databaseOutage() {
        return pipeline.outage;
    }

    IdempotentExecutor idempotent() {
        return pipeline.idempotent;
    }

    Settler settler() {
        return pipeline.settler;
    }

    ErrandMetrics metrics() {
        return pipeline.metrics;
    }

    Tracing tracing() {
        return pipeline.tracing;
    }

    Steps steps() {
        return pipeline.steps;
    }

    Clock clock() {
        return pipeline.clock;
    }

    /** A second's worth of tokens at most, a tenth of it as burst, so the limit holds over any second. */
    private static Bucket rateLimit(double perSecond) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate-limit must be positive, was " + perSecond);
        }
        Bandwidth bandwidth = perSecond >= 1
                ? Bandwidth.builder().capacity(Math.max(1, Math.round(perSecond / 10)))
                        .refillGreedy(Math.round(perSecond), Duration.ofSeconds(1)).build()
                : Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofMillis(Math.round(1000 / perSecond)))
                        .build();
        return Bucket.builder().addLimit(bandwidth).build();
    }
}
