package dev.errand.internal.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

/**
 * Errand's time: the wall clock plus what a test has skipped (the test kit of {@code errand-embedded}).
 * Everything that decides whether a wait is over reads it: a durable sleep, a signal's timeout, a
 * call's deadline, a schedule's next tick, a retry's delivery time. In production nothing skips, and
 * it is the wall clock with one field read more; it asks the database nothing.
 * <p>
 * The database's {@code now()} stays on the wall clock: it only stamps bookkeeping (when a call
 * started or finished, when a marker was written), which decides no wait. The broker holds a
 * scheduled message by the wall clock too, so a delivery time goes to the broker as {@link #onBroker}.
 * <p>
 * Typed to itself alone: a service's own {@code Clock} bean stays the only {@code Clock} it injects.
 */
@Singleton
@Typed(ErrandClock.class)
public class ErrandClock extends Clock {

    /**
     * The message annotation that carries, while time is skipped, a scheduled message's due time in
     * Errand's time (its {@code x-opt-delivery-time} is the wall clock's): the test kit reads it to
     * deliver what the next skip makes due. Never sent when nothing was skipped.
     */
    public static final String DUE_ANNOTATION = "x-opt-errand-due";

    private final AtomicLong skippedMillis = new AtomicLong();

    @Override
    public Instant instant() {
        long skipped = skippedMillis.get();
        Instant now = Instant.now();
        return skipped == 0 ? now : now.plusMillis(skipped);
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + skippedMillis.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** A fixed-offset copy in another zone: it does not follow later skips. */
    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), skipped());
    }

    /** How far ahead of the wall clock Errand's time is. */
    public Duration skipped() {
        return Duration.ofMillis(skippedMillis.get());
    }

    /** When the broker, which keeps the wall clock, is to deliver a message due at {@code due} (Errand's time). */
    public Instant onBroker(Instant due) {
        long skipped = skippedMillis.get();
        return skipped == 0 ? due : due.minusMillis(skipped);
    }

    /**
     * Moves Errand's time forward; for tests only (the test kit calls it). Time never goes back, so a
     * wait recorded before stays recorded as it was.
     */
    public void skip(Duration time) {
        if (time.isNegative()) {
            throw new IllegalArgumentException("time only goes forward; cannot skip " + time);
        }
        if (io.quarkus.runtime.LaunchMode.current() != io.quarkus.runtime.LaunchMode.TEST) {
            // Only tests skip time: a running service's timers, deadlines and retries keep the wall clock.
            throw new IllegalStateException("Errand's time is skipped in tests only");
        }
        skippedMillis.addAndGet(time.toMillis());
    }
}
