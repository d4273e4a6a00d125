package dev.errand.core.handling;

import java.time.Instant;

/** The failures of one message so far, carried to the dead-letter queue. */
final class AttemptHistory {

    private final int previousAttempts;
    private int attempts;
    private Instant firstFailure;
    private Instant lastFailure;
    private Throwable lastError;

    AttemptHistory(int previousAttempts, Instant firstFailure) {
        this.previousAttempts = previousAttempts;
        this.firstFailure = firstFailure;
    }

    /** The number of the attempt about to run, counting earlier deliveries. */
    int nextAttempt() {
        return previousAttempts + attempts + 1;
    }

    void failed(Throwable error, Instant at) {
        attempts++;
        if (firstFailure == null) {
            firstFailure = at;
        }
        lastFailure = at;
        lastError = error;
    }

    int totalAttempts() {
        return previousAttempts + attempts;
    }

    Instant firstFailure() {
        return firstFailure;
    }

    Instant lastFailure() {
        return lastFailure;
    }

    Throwable lastError() {
        return lastError;
    }
}
