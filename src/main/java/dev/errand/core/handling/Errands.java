package dev.errand.core.handling;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.errand.core.contract.ContractViolation;
import dev.errand.core.contract.Envelope;
import dev.errand.core.contract.EnvelopeReader;
import dev.errand.core.contract.FailureKind;
import dev.errand.core.contract.WireContract;
import dev.errand.core.deadletter.DeadLetterPublisher;
import dev.errand.core.idempotency.IdempotentExecutor;

/**
 * Reliable handling of one AMQP message, for {@code @Incoming} beans:
 * <ol>
 * <li>the message is checked against the wire contract and mapped to the payload type;</li>
 * <li>the handler runs at most once per (consumer, message-id), in one transaction with the
 * processed-message marker;</li>
 * <li>transient failures are retried in process (exponential backoff, jitter, Retry-After);</li>
 * <li>a message that breaks the contract, fails permanently or runs out of retries is copied to the
 * dead-letter queue with its reasons;</li>
 * <li>only then is it acknowledged. A crash before that leaves it on the broker for redelivery.</li>
 * </ol>
 * <pre>{@code
 * @Incoming("grants")
 * @Blocking(ordered = false)
 * public CompletionStage<Void> grant(Message<?> message) {
 *     return errands.process("grants", message, GrantCoupon.class, task -> ...);
 * }
 * }</pre>
 */
@ApplicationScoped
public class Errands {

    private static final Logger LOG = Logger.getLogger(Errands.class);

    private final EnvelopeReader reader;
    private final IdempotentExecutor idempotent;
    private final RetryPolicies policies;
    private final DeadLetterPublisher deadLetters;
    private final Config config;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, String> queues = new ConcurrentHashMap<>();

    public Errands(EnvelopeReader reader, IdempotentExecutor idempotent, RetryPolicies policies,
            DeadLetterPublisher deadLetters, Config config) {
        this.reader = reader;
        this.idempotent = idempotent;
        this.policies = policies;
        this.deadLetters = deadLetters;
        this.config = config;
    }

    private String queueOf(String channel) {
        return config.getOptionalValue("mp.messaging.incoming." + channel + ".address", String.class).orElse(channel);
    }

    /**
     * Handles the message and settles it. Call from a blocking {@code @Incoming} method and return the
     * stage; it completes once the broker has been told the outcome.
     *
     * @param channel the {@code @Incoming} channel: it names the consumer (idempotency markers, retry
     *                settings under {@code errand.consumers."<channel>"}) and, through its configured
     *                address, the queue that dead letters are replayed to
     */
    public <T> CompletionStage<Void> process(String channel, Message<?> message, Class<T> type,
            TaskHandler<T> handler) {
        // The queue comes from the channel, not from the message's "to", which many senders leave empty.
        Envelope envelope = reader.read(message).fromQueue(queues.computeIfAbsent(channel, this::queueOf));
        AttemptHistory history = new AttemptHistory(envelope.previousAttempts(),
                parse(envelope.property(WireContract.DL_FIRST_FAILURE)));
        T payload;
        try {
            payload = reader.payload(envelope, type);
        } catch (ContractViolation violation) {
            history.failed(violation, clock.instant());
            return deadLetter(channel, message, envelope, FailureKind.CONTRACT_VIOLATION, history);
        }
        RetryPolicies.Policy policy = policies.forConsumer(channel);
        try {
            boolean ran = policy.guard().call(() -> attempt(channel, envelope, payload, handler, history),
                    Boolean.class);
            return settle(message, ran ? Outcome.ACCEPTED : Outcome.ACCEPTED_DUPLICATE, envelope);
        } catch (Exception e) {
            if (history.lastError() == null) {
                // Failed before any attempt ran (the guard itself refused): still dead-letter it faithfully.
                history.failed(Failures.unwrap(e), clock.instant());
            }
            boolean permanent = policy.classifier().isPermanent(history.lastError());
            if (!permanent && policies.isStopping()) {
                // Its retries were cut short by the shutdown, not used up: give it back to the broker.
                LOG.infof("Releasing %s for redelivery after shutdown", envelope.messageId());
                return settle(message, Outcome.RELEASED, envelope);
            }
            return deadLetter(channel, message, envelope,
                    permanent ? FailureKind.PERMANENT_FAILURE : FailureKind.RETRIES_EXHAUSTED, history);
        }
    }

    private <T> boolean attempt(String consumer, Envelope envelope, T payload, TaskHandler<T> handler,
            AttemptHistory history) throws Exception {
        Task<T> task = new Task<>(envelope.messageId(), envelope.subject(), envelope.correlationId(),
                history.nextAttempt(), payload);
        try {
            return idempotent.runOnce(consumer, envelope.messageId(), () -> {
                handler.handle(task);
                return null;
            });
        } catch (Exception e) {
            Throwable cause = Failures.unwrap(e);
            history.failed(cause, clock.instant());
            LOG.debugf(cause, "Attempt %d of %s by %s failed", task.attempt(), envelope.messageId(), consumer);
            throw cause instanceof Exception exception ? exception : e;
        }
    }

    private CompletionStage<Void> deadLetter(String consumer, Message<?> message, Envelope envelope, FailureKind kind,
            AttemptHistory history) {
        Throwable error = history.lastError();
        LOG.warnf("Dead-lettering message %s from %s (%s after %d attempts): %s", envelope.messageId(),
                envelope.address(), kind.wireName(), history.totalAttempts(), error.toString());
        return deadLetters.publish(consumer, envelope, new DeadLetterPublisher.Failure(kind, error,
                history.totalAttempts(), history.firstFailure(), history.lastFailure()))
                .thenCompose(stored -> settle(message, Outcome.DEAD_LETTERED, envelope))
                .exceptionallyCompose(notStored -> {
                    LOG.errorf(notStored, "Could not dead-letter %s; releasing it for redelivery", envelope.messageId());
                    return settle(message, Outcome.RELEASED, envelope);
                });
    }

    private static CompletionStage<Void> settle(Message<?> message, Outcome outcome, Envelope envelope) {
        LOG.tracef("%s %s", outcome, envelope.messageId());
        return switch (outcome) {
            case ACCEPTED, ACCEPTED_DUPLICATE, DEAD_LETTERED -> message.ack();
            // The channel's failure-strategy turns a nack into "modified, delivery-failed".
            case RELEASED -> message.nack(new IllegalStateException("dead-lettering failed"));
        };
    }

    private static Instant parse(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
