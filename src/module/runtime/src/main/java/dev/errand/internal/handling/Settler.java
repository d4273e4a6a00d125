package dev.errand.internal.handling;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.errand.OutboundMessage;
import dev.errand.WireContract;
import dev.errand.internal.broker.RecentFlow;
import dev.errand.internal.contract.Envelope;
import dev.errand.internal.contract.FailureKind;
import dev.errand.internal.contract.SafeText;
import dev.errand.internal.sending.ErrandSender;
import dev.errand.internal.time.ErrandClock;

/**
 * Tells the broker how a delivery ended ({@link Outcome}). Every copy (a scheduled retry, a dead
 * letter) is stored by the broker before the original is accepted, so a crash in between leaves two
 * copies with one message-id, which idempotency reduces to one run, and never none.
 */
@ApplicationScoped
class Settler {

    private static final Logger LOG = Logger.getLogger(Settler.class);

    private final DeadLetterPublisher deadLetters;
    private final ErrandSender sender;
    private final RecentFlow flow;
    /** A retry is due in Errand's time, which a test may skip ahead. */
    private final ErrandClock clock;

    Settler(DeadLetterPublisher deadLetters, ErrandSender sender, RecentFlow flow, ErrandClock clock) {
        this.clock = clock;
        this.deadLetters = deadLetters;
        this.sender = sender;
        this.flow = flow;
    }

    CompletionStage<Void> settle(Message<?> message, Outcome outcome, Envelope envelope) {
        LOG.tracef("%s %s", outcome, envelope.messageId());
        return switch (outcome) {
            case ACCEPTED, ACCEPTED_DUPLICATE, SCHEDULED_FOR_RETRY, DEAD_LETTERED -> message.ack()
                    .thenRun(() -> flow.settled(envelope.address()));
            // The channel's failure-strategy turns a nack into "modified, delivery-failed".
            case RELEASED -> message.nack(new IllegalStateException("released for redelivery"));
        };
    }

    CompletionStage<Void> deadLetter(String consumer, Message<?> message, Envelope envelope, FailureKind kind,
            AttemptHistory history) {
        Throwable error = history.lastError();
        // The id is the sender's text: escaped, so a NUL or a line break cannot forge or cut a log line.
        LOG.warnf("Dead-lettering message %s from %s (%s after %d attempts): %s", SafeText.forLog(envelope.messageId()),
                envelope.address(), kind.wireName(), history.totalAttempts(), SafeText.forLog(error.toString()));
        return deadLetters.publish(consumer, envelope, new DeadLetterPublisher.Failure(kind, error,
                history.totalAttempts(), history.firstFailure(), history.lastFailure(), history.toJson()))
                .thenCompose(stored -> settle(message, Outcome.DEAD_LETTERED, envelope))
                .exceptionallyCompose(notStored -> {
                    LOG.errorf(notStored, "Could not dead-letter %s; releasing it for redelivery", envelope.messageId());
                    return settle(message, Outcome.RELEASED, envelope);
                });
    }

    /** Puts a copy back on the queue, delivered after {@code delay}; then accepts the original. */
    CompletionStage<Void> scheduleRetry(Message<?> message, Envelope envelope, AttemptHistory history, Duration delay) {
        Map<String, Object> properties = envelope.forwardableProperties();
        properties.put(WireContract.ATTEMPTS, history.totalAttempts());
        // A waiting workflow comes back this way too, possibly before any attempt failed.
        if (history.firstFailure() != null) {
            properties.put(WireContract.DL_FIRST_FAILURE, history.firstFailure().toString());
            properties.put(WireContract.HISTORY, history.toJson());
        }
        OutboundMessage copy = new OutboundMessage(envelope.address(), envelope.messageId(), envelope.subject(),
                envelope.correlationId(), envelope.priority(), envelope.body(), envelope.contentType(), properties,
                clock.instant().plus(delay));
        LOG.debugf("Scheduling %s for attempt %d in %d ms", envelope.messageId(), history.totalAttempts() + 1,
                delay.toMillis());
        return sender.send(copy)
                .thenCompose(stored -> settle(message, Outcome.SCHEDULED_FOR_RETRY, envelope))
                .exceptionallyCompose(notStored -> {
                    LOG.errorf(notStored, "Could not schedule a retry of %s; releasing it", envelope.messageId());
                    return settle(message, Outcome.RELEASED, envelope);
                });
    }
}
