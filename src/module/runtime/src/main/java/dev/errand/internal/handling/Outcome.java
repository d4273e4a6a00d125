package dev.errand.internal.handling;

/**
 * How one delivery ends, named after what the broker is told. Every delivery ends in exactly one of
 * these; none closes the channel.
 * <ul>
 * <li>{@link #ACCEPTED}: the handler ran and committed; the message is accepted.</li>
 * <li>{@link #ACCEPTED_DUPLICATE}: it had already been processed; accepted without running again.</li>
 * <li>{@link #SCHEDULED_FOR_RETRY}: it failed transiently; the broker stored a copy (same message-id,
 * attempt count and history) to be delivered after a backoff, then the original is accepted. No
 * worker waits for it meanwhile.</li>
 * <li>{@link #DEAD_LETTERED}: the broker stored a copy on the dead-letter queue with its reasons;
 * then the original is accepted.</li>
 * <li>{@link #RELEASED}: it could be neither scheduled nor dead-lettered (broker trouble), or the
 * service is shutting down; it is given back (modified, delivery failed) and the broker redelivers
 * it later.</li>
 * </ul>
 * Two transitions keep the message in the consumer instead: a message with an ordering key that
 * failed transiently runs again after its backoff without leaving its key's place, and a message
 * that met an open circuit breaker waits, not counted as an attempt, until the breaker lets it by.
 */
public enum Outcome {
    ACCEPTED,
    ACCEPTED_DUPLICATE,
    SCHEDULED_FOR_RETRY,
    DEAD_LETTERED,
    RELEASED
}
