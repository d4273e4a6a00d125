package dev.errand.internal.handling;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.BackgroundWork;

/**
 * {@link BackgroundWork}: what the background loops (the outbox relay, the queue readings, a
 * service's own) report of themselves, kept for readiness ({@link BackgroundWorkHealthCheck}).
 */
@ApplicationScoped
public class BackgroundLoops implements BackgroundWork {

    /** A loop that is failing: since when, and its last error. */
    public record Failing(Instant since, String lastError) {

        public Duration duration(Instant now) {
            return Duration.between(since, now);
        }
    }

    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    /** The loop did its work: whatever failed before is over. */
    @Override
    public void succeeded(String loop) {
        failing.remove(loop);
    }

    /** The loop failed; it will try again. */
    @Override
    public void failed(String loop, Throwable error) {
        String text = error.getClass().getSimpleName() + ": " + error.getMessage();
        failing.merge(loop, new Failing(Instant.now(), text), (before, now) -> new Failing(before.since(), text));
    }

    /** The loop is gone (its work is done, or the service stops): nothing to report any more. */
    @Override
    public void ended(String loop) {
        failing.remove(loop);
    }

    public Map<String, Failing> failing() {
        return Map.copyOf(failing);
    }
}
