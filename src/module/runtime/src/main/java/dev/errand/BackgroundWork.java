package dev.errand;

/**
 * Where a service's own background loops report how they fare, beside Errand's (the outbox relay,
 * the queue readings). A loop should never die of an exception: it reports the failure, backs off
 * ({@link Backoff}) and tries again. One that has failed, with no success since, for longer than
 * {@code errand.health.stall-timeout} shows as DOWN in readiness, with its last error.
 */
public interface BackgroundWork {

    /** The loop did its work: whatever failed before is over. */
    void succeeded(String loop);

    /** The loop failed; it will try again. */
    void failed(String loop, Throwable error);

    /** The loop is gone (its work is done, or the service stops): nothing to report any more. */
    void ended(String loop);
}
