package dev.errand.internal.handling;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.errand.Errands;
import dev.errand.TaskHandler;

/**
 * {@link Errands}, the hand-written form of a handler: hands the message to its channel's
 * {@link Consumer}. (Generated bridges hold their consumer and skip the look-up.) A message is handled
 * this way:
 * <ol>
 * <li>the message is checked against the wire contract and mapped to the payload type; a breach is
 * dead-lettered at once;</li>
 * <li>it waits in the consumer's dispatcher for its turn: its ordering key's predecessors, its
 * priority, the concurrency and rate limits, a closed circuit breaker;</li>
 * <li>the handler runs at most once per (consumer, message-id), in one transaction with the
 * processed-message marker;</li>
 * <li>transient failures are retried in process a few times, then scheduled on the broker with
 * exponential backoff (no worker waits), until {@code max-attempts};</li>
 * <li>a message that breaks the contract, fails permanently or runs out of attempts is copied to the
 * dead-letter queue with its history;</li>
 * <li>only then is it acknowledged. A crash before that leaves it on the broker for redelivery.</li>
 * </ol>
 * The method is not {@code @Blocking}: handlers run on the consumer's own threads, sized by
 * {@code errand.consumers."<channel>".concurrency}.
 * <pre>{@code
 * @Incoming("grants")
 * public CompletionStage<Void> grant(Message<?> message) {
 *     return errands.process("grants", message, GrantCoupon.class, task -> ...);
 * }
 * }</pre>
 */
@ApplicationScoped
public class Intake implements Errands {

    private static final Logger LOG = Logger.getLogger(Intake.class);

    private final ConsumerRegistry consumers;

    Intake(ConsumerRegistry consumers) {
        this.consumers = consumers;
    }

    @Override
    public <T> CompletionStage<Void> process(String channel, Message<?> message, Class<T> type,
            TaskHandler<T> handler) {
        Consumer consumer;
        try {
            consumer = consumers.consumer(channel);
        } catch (RuntimeException e) {
            // An exception out of an @Incoming method ends the channel's stream: give the message back
            // instead, and the channel goes on.
            LOG.errorf(e, "Could not take a message of %s; releasing it", channel);
            return message.nack(e);
        }
        return consumer.take(message, type, handler);
    }
}
