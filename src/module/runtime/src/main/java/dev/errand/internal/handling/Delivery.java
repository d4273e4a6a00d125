package dev.errand.internal.handling;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.errand.Task;
import dev.errand.WireContract;
import dev.errand.internal.contract.Envelope;
import dev.errand.internal.contract.FailureKind;
import dev.errand.internal.database.DatabaseUnavailable;
import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.idempotency.IdempotentExecutor;
import dev.errand.internal.metrics.ErrandMetrics.HandlerOutcome;
import dev.errand.internal.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/** One message of one consumer, from its first attempt here to its {@link Outcome}. */
final class Delivery<T> implements ChannelDispatcher.Work {

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    private final Consumer consumer;
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

    Delivery(Consumer consumer, Message<?> message, Envelope envelope, T payload, MessageRun<T> handler,
            AttemptHistory history) {
        this.consumer = consumer;
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
        return consumer.settler().settle(message, Outcome.RELEASED, envelope);
    }

    @Override
    public ChannelDispatcher.Result run(boolean probe) {
        long start = System.nanoTime();
        outcome = null;
        // The handler, its downstream calls and the copies sent for a retry or a dead letter all join
        // the producer's trace; each run is a span of its own.
        Span span = consumer.tracing().startProcessing(consumer.channel(), message, envelope,
                history.countedAttempts() + 1);
        ChannelDispatcher.Result result;
        try (Scope scope = span.makeCurrent()) {
            result = handle();
        } finally {
            Tracing.end(span, outcome == null ? "failed" : outcome.tag(),
                    outcome == null || outcome == HandlerOutcome.DEAD_LETTERED || outcome == HandlerOutcome.RETRIED);
        }
        consumer.metrics().handled(consumer.channel(), outcome, Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    /** The id its idempotency (its processed-message marker) is keyed by. */
    String idempotencyId() {
        return envelope.idempotencyId();
    }

    /**
     * This delivery's handler, inside the batch's transaction; its span stays open until {@link #afterBatch}.
     *
     * @return whether the message is done (a waiting workflow is not)
     */
    boolean attemptInBatch() throws Exception {
        long start = System.nanoTime();
        batchSpan = consumer.tracing().startProcessing(consumer.channel(), message, envelope,
                history.countedAttempts() + 1);
        Task<T> task = nextTask();
        try (Scope scope = batchSpan.makeCurrent()) {
            return runHandler(task);
        } finally {
            batchNanos = System.nanoTime() - start;
        }
    }

    ChannelDispatcher.Result afterBatch(IdempotentExecutor.Result result) {
        Span span = batchSpan;
        batchSpan = null;
        if (result.outcome() == IdempotentExecutor.Outcome.UNFINISHED) {
            ChannelDispatcher.Result after = comeBack();
            if (span != null) {
                Tracing.end(span, outcome.tag(), false);
            }
            consumer.metrics().handled(consumer.channel(), outcome, Duration.ofNanos(batchNanos));
            return after;
        }
        if (result.outcome() == IdempotentExecutor.Outcome.RAN
                || result.outcome() == IdempotentExecutor.Outcome.DUPLICATE) {
            boolean ran = result.outcome() == IdempotentExecutor.Outcome.RAN;
            outcome = ran ? HandlerOutcome.SUCCEEDED : HandlerOutcome.DUPLICATE_SKIPPED;
            if (span != null) {
                Tracing.end(span, outcome.tag(), false);
            }
            consumer.metrics().handled(consumer.channel(), outcome, Duration.ofNanos(batchNanos));
            return new ChannelDispatcher.Done(history.failedNow() > 0,
                    consumer.settler().settle(message, ran ? Outcome.ACCEPTED : Outcome.ACCEPTED_DUPLICATE, envelope));
        }
        if (span != null) {
            Tracing.end(span, "failed", true);
        }
        Throwable cause = result.failure() == null ? null : Failures.unwrap(result.failure());
        if (cause != null && consumer.databaseOutage().reportedBy(cause)) {
            ChannelDispatcher.Result after = givenBack();
            consumer.metrics().handled(consumer.channel(), outcome, Duration.ofNanos(batchNanos));
            return after;
        }
        if (result.outcome() == IdempotentExecutor.Outcome.FAILED && cause != null && countsAsAttempt(cause)) {
            // The batch's attempt counts as one, as it would have alone.
            history.failed(cause, consumer.clock().instant());
            LOG.debugf(cause, "Attempt %d of %s by %s failed in a batch", history.countedAttempts(),
                    envelope.messageId(), consumer.channel());
            ConsumerPolicy.Retry retry = consumer.policy().retry();
            if (retry.classifier().isPermanent(cause) || history.countedAttempts() >= retry.maxAttempts()) {
                ChannelDispatcher.Result after = afterFailure(retry);
                consumer.metrics().handled(consumer.channel(), outcome, Duration.ofNanos(batchNanos));
                return after;
            }
        }
        // Not committed, refused by an open breaker, or worth another try: alone from here.
        return run(false);
    }

    private ChannelDispatcher.Result handle() {
        ConsumerPolicy.Retry retry = consumer.policy().retry();
        try {
            IdempotentExecutor.Outcome result = retry.guard().call(this::attempt, IdempotentExecutor.Outcome.class);
            if (result == IdempotentExecutor.Outcome.UNFINISHED) {
                return comeBack();
            }
            boolean ran = result == IdempotentExecutor.Outcome.RAN;
            outcome = ran ? HandlerOutcome.SUCCEEDED : HandlerOutcome.DUPLICATE_SKIPPED;
            return new ChannelDispatcher.Done(history.failedNow() > 0,
                    consumer.settler().settle(message, ran ? Outcome.ACCEPTED : Outcome.ACCEPTED_DUPLICATE, envelope));
        } catch (Exception e) {
            Throwable error = Failures.unwrap(e);
            if (consumer.databaseOutage().reportedBy(error)) {
                return givenBack();
            }
            boolean permanent = history.lastError() != null && retry.classifier().isPermanent(history.lastError());
            if (!permanent && (Failures.find(error, CircuitBreakerOpenException.class) != null
                    || consumer.breakerOpen())) {
                if (history.lastError() != null && history.lastError() == error) {
                    history.excuseLast();
                }
                // Waits in the consumer, which pauses until the breaker lets a probe through.
                outcome = HandlerOutcome.WAITED_FOR_BREAKER;
                return new ChannelDispatcher.Parked();
            }
            if (history.lastError() == null) {
                // Failed before any attempt ran (the guard itself refused): still dead-letter it faithfully.
                history.failed(error, consumer.clock().instant());
            }
            return afterFailure(retry);
        }
    }

    /**
     * The database gave no connection: nothing of the run was committed, and it was no attempt at the
     * message, which goes back to the broker unharmed for a replica that can work (this one pauses).
     */
    private ChannelDispatcher.Result givenBack() {
        outcome = HandlerOutcome.RELEASED;
        return new ChannelDispatcher.Done(false, consumer.settler().settle(message, Outcome.RELEASED, envelope));
    }

    /**
     * Not done, not failed: its run committed what it recorded, and asked to come back after
     * {@link #comeBackAfter}. No attempt is counted.
     */
    private ChannelDispatcher.Result comeBack() {
        Duration after = comeBackAfter;
        outcome = HandlerOutcome.SUSPENDED;
        if (orderingKey != null || !consumer.brokerSchedules()) {
            return new ChannelDispatcher.RunAgain(after, false);
        }
        return new ChannelDispatcher.Done(false, consumer.settler().scheduleRetry(message, envelope, history, after));
    }

    private ChannelDispatcher.Result afterFailure(ConsumerPolicy.Retry retry) {
        Throwable error = history.lastError();
        String channel = consumer.channel();
        if (retry.classifier().isPermanent(error)) {
            outcome = HandlerOutcome.DEAD_LETTERED;
            return new ChannelDispatcher.Done(false,
                    consumer.settler().deadLetter(channel, message, envelope, FailureKind.PERMANENT_FAILURE, history));
        }
        if (consumer.stopping()) {
            // Its retries were cut short by the shutdown, not used up: give it back to the broker.
            LOG.infof("Releasing %s for redelivery after shutdown", envelope.messageId());
            outcome = HandlerOutcome.RELEASED;
            return new ChannelDispatcher.Done(true, consumer.settler().settle(message, Outcome.RELEASED, envelope));
        }
        if (history.countedAttempts() >= retry.maxAttempts()) {
            outcome = HandlerOutcome.DEAD_LETTERED;
            return new ChannelDispatcher.Done(true,
                    consumer.settler().deadLetter(channel, message, envelope, FailureKind.RETRIES_EXHAUSTED, history));
        }
        Duration delay = retry.redeliveryDelay(history.countedAttempts(), error);
        outcome = HandlerOutcome.RETRIED;
        if (orderingKey != null || !consumer.brokerSchedules()) {
            // On the broker a keyed message could be overtaken by the next message of its key, and a
            // broker without scheduled delivery (RabbitMQ's plugin) would hand it back at once: it
            // waits here instead, holding its key's place but no worker.
            return new ChannelDispatcher.RunAgain(delay, true);
        }
        return new ChannelDispatcher.Done(true, consumer.settler().scheduleRetry(message, envelope, history, delay));
    }

    private IdempotentExecutor.Outcome attempt() throws Exception {
        Task<T> task = nextTask();
        try {
            return consumer.idempotent().runOnce(consumer.channel(), envelope.idempotencyId(), () -> runHandler(task));
        } catch (Exception e) {
            Throwable cause = Failures.unwrap(e);
            if (countsAsAttempt(cause)) {
                history.failed(cause, consumer.clock().instant());
                LOG.debugf(cause, "Attempt %d of %s by %s failed", task.attempt(), envelope.messageId(),
                        consumer.channel());
                if (history.countedAttempts() >= consumer.policy().retry().maxAttempts()) {
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
        return new Task<>(consumer.channel(), envelope.messageId(), envelope.subject(),
                envelope.correlationId(), orderingKey, history.nextAttempt(), payload, consumer.steps(), envelope.origin());
    }

    /** A call refused by an open breaker is no attempt, nor is a run the database gave no connection. */
    private static boolean countsAsAttempt(Throwable cause) {
        return Failures.find(cause, CircuitBreakerOpenException.class) == null && !DatabaseUnavailable.causedBy(cause);
    }
}
