package dev.errand.internal.handling;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the service's background loops (the outbox relay, the queue readings, a demo's enqueuer)
 * report of themselves. A loop never dies of an exception: it reports the failure, backs off and
 * tries again; one that has failed without a success in between for longer than
 * {@code errand.health.stall-timeout} shows as DOWN in readiness, with its last error.
 */
@ApplicationScoped
public class BackgroundWork {

    /** A loop that is failing: since when, and its last error. */
    public record Failing(Instant since, String lastError) {

        public Duration duration(Instant now) {
            return Duration.between(since, now);
        }
    }

    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    /** The loop did its work: whatever failed before is over. */
    public void succeeded(String loop) {
        failing.remove(loop);
    }

    /** The loop failed; it will try again. */
    public void failed(String loop, Throwable error) {
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        failing.merge(loop, new Failing(Instant.now(), text), (before, now) -> new Failing(before.since(), text));
    }

    /** The loop is gone (its work is done, or the service stops): nothing to report any more. */
    public void ended(String loop) {
        failing.remove(loop);
    }

    public Map<String, Failing> failing() {
        return Map.copyOf(failing);
    }
}
