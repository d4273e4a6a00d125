package dev.errand.internal.handling;

import java.time.Duration;

/**
 * Thrown by a handler that is not done and not failing: it wants to run again after {@code after}
 * (a workflow's durable sleep, or its wait for its children). The run's transaction rolls back, no
 * attempt is counted, and the message comes back from the broker's scheduled delivery, so no thread
 * waits and a restart loses nothing.
 */
public final class Suspension extends RuntimeException {

    private final Duration after;

    public Suspension(String message, Duration after) {
        super(message, null, false, false);
        this.after = after;
    }

    public Duration after() {
        return after;
    }
}
