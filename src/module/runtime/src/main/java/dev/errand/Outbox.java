package dev.errand;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The transactional outbox: a producer writes its messages in the same database transaction as its
 * own data, so both commit or neither does (no dual write). Errand publishes them after the commit,
 * at least once, with their stable message-ids; consumers' idempotency absorbs a repeat.
 * <pre>{@code
 * @Transactional
 * public long place(Order order) {
 *     order.persist();
 *     outbox.enqueue(OutboundMessage.json("errand.orders", "order:" + order.id, "place-order", null, body));
 *     return order.id;
 * }
 * }</pre>
 */
public interface Outbox {

    /**
     * Adds a message to the current transaction; it is published once that commits.
     *
     * @throws IllegalStateException when no transaction is active: without one there is no atomicity
     * @throws IllegalArgumentException when its id begins with {@link WireContract#OUTSIDE_ID_PREFIX},
     *                                  where outside senders' messages are kept
     */
    void enqueue(OutboundMessage message);

    /** Messages waiting to be published (for one address, or all when null). */
    Backlog backlog(String address);

    /** The outbox's unpublished messages: how many, and since when the oldest waits. */
    record Backlog(long messages, Optional<Instant> oldest) {
        public Duration age(Instant now) {
            return oldest.map(at -> Duration.between(at, now)).orElse(Duration.ZERO);
        }
    }
}
