package dev.errand;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The low-level form of a handler, for an {@code @Incoming} method that takes the whole
 * {@link Message}. Most services write the annotated form instead (see {@link Task}): a method with
 * the payload and {@code Task} as parameters, which Errand wires the same way.
 * <pre>{@code
 * @Incoming("grants")
 * public CompletionStage<Void> grant(Message<?> message) {
 *     return errands.process("grants", message, GrantCoupon.class, task -> ...);
 * }
 * }</pre>
 */
public interface Errands {

    /**
     * Takes the message into its consumer, which handles and settles it: checked against the wire
     * contract, run at most once per message id in one transaction with its processed-message marker,
     * retried, dead-lettered with its history, and only then acknowledged. The stage completes when
     * the consumer has room for the next message, so returning it from the {@code @Incoming} method
     * is what keeps the channel from taking more than the consumer can hold.
     *
     * @param channel the {@code @Incoming} channel: it names the consumer (idempotency markers,
     *                settings under {@code errand.consumers."<channel>"}) and, through its configured
     *                address, the queue that retries and dead-letter replays go back to
     */
    <T> CompletionStage<Void> process(String channel, Message<?> message, Class<T> type, TaskHandler<T> handler);
}
