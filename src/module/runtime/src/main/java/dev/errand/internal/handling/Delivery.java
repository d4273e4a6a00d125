package dev.errand.internal.handling;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.errand.Steps;
import dev.errand.Task;
import dev.errand.WireContract;
import dev.errand.internal.contract.Envelope;
import dev.errand.internal.contract.FailureKind;
import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.idempotency.IdempotentExecutor;
import dev.errand.internal.metrics.ErrandMetrics;
import dev.errand.internal.metrics.ErrandMetrics.HandlerOutcome;
import dev.errand.internal.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/** One message of one consumer, from its first attempt here to its {@link Outcome}. */
final class Delivery<T> implements ChannelDispatcher.Work {

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    /** What a delivery needs from the consumer it belongs to. */
    record Context(ConsumerPolicy policy, IdempotentExecutor idempotent, Settler settler, BooleanSupplier breakerOpen,
            BooleanSupplier stopping, Clock clock, ErrandMetrics metrics, Tracing tracing,
            BooleanSupplier brokerSchedules, Steps steps) {
    }

    private final Context context;
    private final Message<?> message;
    private final Envelope envelope;
    private final T payload;
    private final MessageRun<T> handler;
    private final AttemptHistory history;
    private final String orderingKey;
    private final String lane;
    /** How the current run ended, for the metrics; runs of one delivery never overlap. */
    private HandlerOutcome outcome;
    /** Its span and handler time while it runs in a batch. */
    private Span batchSpan;
    private long batchNanos;
    /** When its last run asked to come back ({@link RunOutcome}), after how long. */
    private Duration comeBackAfter;

    Delivery(Context context, Message<?> message, Envelope envelope, T payload, MessageRun<T> handler,
            AttemptHistory history) {
        this.context = context;
        this.message = message;
        this.envelope = envelope;
        this.payload = payload;
        this.handler = handler;
        this.history = history;
        String key = envelope.property(WireContract.ORDERING_KEY);
        this.orderingKey = key == null || key.isBlank() ? null : key;
        // An outside message's key has a lane of its own: an outside flood, or a slowly failing outside
        // message, under the service's key must not hold the service's messages of that key back.
        this.lane = orderingKey == null ? null : envelope.origin().idempotencyId(orderingKey);
    }

    @Override
    public int priority() {
        return envelope.priority();
    }

    @Override
    public String orderingKey() {
        return lane;
    }

    @Override
    public CompletionStage<Void> release() {
        return context.settler().settle(message, Outcome.RELEASED, envelope);
    }

    @Override
    public ChannelDispatcher.Result run(boolean probe) {
        long start = System.nanoTime();
        outcome = null;
        // The handler, its downstream calls and the copies sent for a retry or a dead letter all join
        // the producer's trace; each run is a span of its own.
        Span span = context.tracing().startProcessing(context.policy().channel(), message, envelope,
                history.countedAttempts() + 1);
        ChannelDispatcher.Result result;
        try (Scope scope = span.makeCurrent()) {
            result = handle();
        } finally {
            Tracing.end(span, outcome == null ? "failed" : outcome.tag(),
                    outcome == null || outcome == HandlerOutcome.DEAD_LETTERED || outcome == HandlerOutcome.RETRIED);
        }
        context.metrics().handled(context.policy().channel(), outcome, Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    /**
     * Runs deliveries of one consumer as a batch: their handlers one after the other in one
     * transaction with their markers ({@link IdempotentExecutor#runBatch}). Those that ran or were
     * duplicates are settled as usual; any other goes on alone, as {@link #run} would take it, so each
     * ends in exactly one outcome whatever happened to the batch.
     */
    static List<ChannelDispatcher.Result> runAll(List<ChannelDispatcher.Work> works) {
        List<Delivery<?>> deliveries = new ArrayList<>(works.size());
        List<String> ids = new ArrayList<>(works.size());
        List<Callable<Boolean>> calls = new ArrayList<>(works.size());
        for (ChannelDispatcher.Work work : works) {
            Delivery<?> delivery = (Delivery<?>) work;
            deliveries.add(delivery);
            ids.add(delivery.envelope.idempotencyId());
            calls.add(delivery::attemptInBatch);
        }
        Context context = deliveries.get(0).context;
        List<IdempotentExecutor.Result> outcomes = context.idempotent().runBatch(context.policy().channel(), ids, calls);
        List<ChannelDispatcher.Result> results = new ArrayList<>(works.size());
        for (int i = 0; i < deliveries.size(); i++) {
            results.add(deliveries.get(i).afterBatch(outcomes.get(i)));
        }
        return results;
    }

    /** This delivery's handler, inside the batch's transaction; its span stays open until {@link #afterBatch}. */
    private boolean attemptInBatch() throws Exception {
        long start = System.nanoTime();
        batchSpan = context.tracing().startProcessing(context.policy().channel(), message, envelope,
                history.countedAttempts() + 1);
        Task<T> task = nextTask();
        try (Scope scope = batchSpan.makeCurrent()) {
            return runHandler(task);
        } finally {
            batchNanos = System.nanoTime() - start;
        }
    }

    private ChannelDispatcher.Result afterBatch(IdempotentExecutor.Result result) {
        Span span = batchSpan;
        batchSpan = null;
        if (result.outcome() == IdempotentExecutor.Outcome.UNFINISHED) {
            ChannelDispatcher.Result after = comeBack();
            if (span != null) {
                Tracing.end(span, outcome.tag(), false);
            }
            context.metrics().handled(context.policy().channel(), outcome, Duration.ofNanos(batchNanos));
            return after;
        }
        if (result.outcome() == IdempotentExecutor.Outcome.RAN
                || result.outcome() == IdempotentExecutor.Outcome.DUPLICATE) {
            boolean ran = result.outcome() == IdempotentExecutor.Outcome.RAN;
            outcome = ran ? HandlerOutcome.SUCCEEDED : HandlerOutcome.DUPLICATE_SKIPPED;
            if (span != null) {
                Tracing.end(span, outcome.tag(), false);
            }
            context.metrics().handled(context.policy().channel(), outcome, Duration.ofNanos(batchNanos));
            return new ChannelDispatcher.Done(history.failedNow() > 0,
                    context.settler().settle(message, ran ? Outcome.ACCEPTED : Outcome.ACCEPTED_DUPLICATE, envelope));
        }
        if (span != null) {
            Tracing.end(span, "failed", true);
        }
        Throwable cause = result.failure() == null ? null : Failures.unwrap(result.failure());
        if (result.outcome() == IdempotentExecutor.Outcome.FAILED && cause != null && countsAsAttempt(cause)) {
            // The batch's attempt counts as one, as it would have alone.
            history.failed(cause, context.clock().instant());
            LOG.debugf(cause, "Attempt %d of %s by %s failed in a batch", history.countedAttempts(),
                    envelope.messageId(), context.policy().channel());
            ConsumerPolicy.Retry retry = context.policy().retry();
            if (retry.classifier().isPermanent(cause) || history.countedAttempts() >= retry.maxAttempts()) {
                ChannelDispatcher.Result after = afterFailure(retry);
                context.metrics().handled(context.policy().channel(), outcome, Duration.ofNanos(batchNanos));
                return after;
            }
        }
        // Not committed, refused by an open breaker, or worth another try: alone from here.
        return run(false);
    }

    private ChannelDispatcher.Result handle() {
        ConsumerPolicy.Retry retry = context.policy().retry();
        try {
            IdempotentExecutor.Outcome result = retry.guard().call(this::attempt, IdempotentExecutor.Outcome.class);
            if (result == IdempotentExecutor.Outcome.UNFINISHED) {
                return comeBack();
            }
            boolean ran = result == IdempotentExecutor.Outcome.RAN;
            outcome = ran ? HandlerOutcome.SUCCEEDED : HandlerOutcome.DUPLICATE_SKIPPED;
            return new ChannelDispatcher.Done(history.failedNow() > 0,
                    context.settler().settle(message, ran ? Outcome.ACCEPTED : Outcome.ACCEPTED_DUPLICATE, envelope));
        } catch (Exception e) {
            Throwable error = Failures.unwrap(e);
            boolean permanent = history.lastError() != null && retry.classifier().isPermanent(history.lastError());
            if (!permanent && (Failures.find(error, CircuitBreakerOpenException.class) != null
                    || context.breakerOpen().getAsBoolean())) {
                if (history.lastError() != null && history.lastError() == error) {
                    history.excuseLast();
                }
                // Waits in the consumer, which pauses until the breaker lets a probe through.
                outcome = HandlerOutcome.WAITED_FOR_BREAKER;
                return new ChannelDispatcher.Parked();
            }
            if (history.lastError() == null) {
                // Failed before any attempt ran (the guard itself refused): still dead-letter it faithfully.
                history.failed(error, context.clock().instant());
            }
            return afterFailure(retry);
        }
    }

    /**
     * Not done, not failed: its run committed what it recorded, and asked to come back after
     * {@link #comeBackAfter}. No attempt is counted.
     */
    private ChannelDispatcher.Result comeBack() {
        Duration after = comeBackAfter;
        outcome = HandlerOutcome.SUSPENDED;
        if (orderingKey != null || !context.brokerSchedules().getAsBoolean()) {
            return new ChannelDispatcher.RunAgain(after, false);
        }
        return new ChannelDispatcher.Done(false, context.settler().scheduleRetry(message, envelope, history, after));
    }

    private ChannelDispatcher.Result afterFailure(ConsumerPolicy.Retry retry) {
        Throwable error = history.lastError();
        String consumer = context.policy().channel();
        if (retry.classifier().isPermanent(error)) {
            outcome = HandlerOutcome.DEAD_LETTERED;
            return new ChannelDispatcher.Done(false,
                    context.settler().deadLetter(consumer, message, envelope, FailureKind.PERMANENT_FAILURE, history));
        }
        if (context.stopping().getAsBoolean()) {
            // Its retries were cut short by the shutdown, not used up: give it back to the broker.
            LOG.infof("Releasing %s for redelivery after shutdown", envelope.messageId());
            outcome = HandlerOutcome.RELEASED;
            return new ChannelDispatcher.Done(true, context.settler().settle(message, Outcome.RELEASED, envelope));
        }
        if (history.countedAttempts() >= retry.maxAttempts()) {
            outcome = HandlerOutcome.DEAD_LETTERED;
            return new ChannelDispatcher.Done(true,
                    context.settler().deadLetter(consumer, message, envelope, FailureKind.RETRIES_EXHAUSTED, history));
        }
        Duration delay = retry.redeliveryDelay(history.countedAttempts(), error);
        outcome = HandlerOutcome.RETRIED;
        if (orderingKey != null || !context.brokerSchedules().getAsBoolean()) {
            // On the broker a keyed message could be overtaken by the next message of its key, and a
            // broker without scheduled delivery (RabbitMQ's plugin) would hand it back at once: it
            // waits here instead, holding its key's place but no worker.
            return new ChannelDispatcher.RunAgain(delay, true);
        }
        return new ChannelDispatcher.Done(true, context.settler().scheduleRetry(message, envelope, history, delay));
    }

    private IdempotentExecutor.Outcome attempt() throws Exception {
        Task<T> task = nextTask();
        try {
            return context.idempotent().runOnce(context.policy().channel(), envelope.idempotencyId(),
                    () -> runHandler(task));
        } catch (Exception e) {
            Throwable cause = Failures.unwrap(e);
            if (countsAsAttempt(cause)) {
                history.failed(cause, context.clock().instant());
                LOG.debugf(cause, "Attempt %d of %s by %s failed", task.attempt(), envelope.messageId(),
                        context.policy().channel());
                if (history.countedAttempts() >= context.policy().retry().maxAttempts()) {
                    throw new Failures.OutOfAttempts(cause);
                }
            }
            throw cause instanceof Exception exception ? exception : e;
        }
    }

    /** Runs the handler; false when its run asked to come back later ({@link RunOutcome}). */
    private boolean runHandler(Task<T> task) throws Exception {
        RunOutcome ran = handler.run(task);
        comeBackAfter = ran.comeBackAfter();
        return ran.done();
    }

    private Task<T> nextTask() {
        return new Task<>(context.policy().channel(), envelope.messageId(), envelope.subject(),
                envelope.correlationId(), orderingKey, history.nextAttempt(), payload, context.steps(), envelope.origin());
    }

    /** A call refused by an open breaker is no attempt. */
    private static boolean countsAsAttempt(Throwable cause) {
        return Failures.find(cause, CircuitBreakerOpenException.class) == null;
    }
}
