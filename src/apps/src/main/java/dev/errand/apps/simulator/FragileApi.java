package dev.errand.apps.simulator;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A fragile third-party API's live behaviour and its request counters: outage, capacity, rate limit,
 * latency and injected errors, in that order, as each simulator's calls meet them. The counters are
 * in memory (they describe this run); what the simulated system stores, which must outlive a crash,
 * is in the database.
 */
public class FragileApi {

    /** What the next call meets before it reaches the ledger. */
    public sealed interface Gate permits Open, Outage, RateLimited, InjectedError, OverCapacity {
    }

    public record OverCapacity() implements Gate {
    }

    public record Open() implements Gate {
    }

    public record Outage() implements Gate {
    }

    public record RateLimited(Duration retryAfter) implements Gate {
    }

    public record InjectedError() implements Gate {
    }

    private final SimulatorSettings initial;
    private final AtomicReference<Limited> current;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong injectedErrors = new AtomicLong();
    private final AtomicLong overCapacity = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    protected FragileApi(FragileApiConfig config) {
        this.initial = SimulatorSettings.from(config);
        this.current = new AtomicReference<>(Limited.of(initial));
    }

    public SimulatorSettings settings() {
        return current.get().settings();
    }

    public SimulatorSettings update(SimulatorSettings.Update update) {
        return current.updateAndGet(now -> Limited.of(update.applyTo(now.settings()))).settings();
    }

    /** Counts the call and decides how it is answered; sleeps for the configured latency. */
    public Gate admit() throws InterruptedException {
        requests.incrementAndGet();
        Limited limited = current.get();
        SimulatorSettings settings = limited.settings();
        if (settings.outage()) {
            return new Outage();
        }
        if (settings.capacity() > 0 && inFlight.incrementAndGet() > settings.capacity()) {
            inFlight.decrementAndGet();
            overCapacity.incrementAndGet();
            return new OverCapacity();
        }
        if (limited.bucket() != null) {
            ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                rateLimited.incrementAndGet();
                return new RateLimited(Duration.ofNanos(probe.getNanosToWaitForRefill()));
            }
        }
        if (settings.latencyMs() > 0) {
            Thread.sleep(settings.latencyMs());
        }
        if (settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate()) {
            injectedErrors.incrementAndGet();
            return new InjectedError();
        }
        return new Open();
    }

    /** The call is answered: frees its place when it took one. */
    public void leave(Gate gate) {
        if (current.get().settings().capacity() > 0 && !(gate instanceof Outage) && !(gate instanceof OverCapacity)) {
            inFlight.updateAndGet(n -> Math.max(0, n - 1));
        }
    }

    public long overCapacity() {
        return overCapacity.get();
    }

    public long requests() {
        return requests.get();
    }

    public long rateLimited() {
        return rateLimited.get();
    }

    public long injectedErrors() {
        return injectedErrors.get();
    }

    /** Back to the configured behaviour, counters at zero. */
    public void reset() {
        current.set(Limited.of(initial));
        requests.set(0);
        rateLimited.set(0);
        injectedErrors.set(0);
        overCapacity.set(0);
        inFlight.set(0);
    }

    /** Settings and the token bucket that enforces their rate limit, swapped together. */
    private record Limited(SimulatorSettings settings, Bucket bucket) {
        static Limited of(SimulatorSettings settings) {
            if (settings.rateLimit() == 0) {
                return new Limited(settings, null);
            }
            // A one-second bucket: at most rateLimit calls in any second, refilled smoothly.
            return new Limited(settings, Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(settings.rateLimit())
                            .refillGreedy(settings.rateLimit(), Duration.ofSeconds(1)).build())
                    .build());
        }
    }
}
