package dev.errand.internal.schedules;

import java.time.Duration;
import java.time.Instant;

/** Ticks on multiples of the interval from the epoch (every hour: on the hour, UTC). */
record Every(Duration every) implements Cadence {

    Every {
        if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a schedule ticks every second at most, was every " + every);
        }
    }

    @Override
    public Instant latest(Instant now) {
        long everyMillis = every.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), everyMillis) * everyMillis);
    }

    @Override
    public Instant next(Instant after) {
        return latest(after).plus(every);
    }
}
