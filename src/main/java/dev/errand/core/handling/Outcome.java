package dev.errand.core.handling;

/**
 * How one delivery ends, named after what the broker is told.
 * <ul>
 * <li>{@link #ACCEPTED}: the handler ran and committed; the message is accepted.</li>
 * <li>{@link #ACCEPTED_DUPLICATE}: it had already been processed; accepted without running again.</li>
 * <li>{@link #DEAD_LETTERED}: the broker stored a copy on the dead-letter queue with its reasons;
 * then the original is accepted.</li>
 * <li>{@link #RELEASED}: it could not even be dead-lettered (broker trouble), or the service began
 * shutting down in the middle of its retries; it is given back (modified, delivery failed) and the
 * broker redelivers it later.</li>
 * </ul>
 * Every delivery ends in exactly one of these; none closes the channel.
 */
public enum Outcome {
    ACCEPTED,
    ACCEPTED_DUPLICATE,
    DEAD_LETTERED,
    RELEASED
}
