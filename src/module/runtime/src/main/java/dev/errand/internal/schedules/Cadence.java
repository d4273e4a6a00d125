package dev.errand.internal.schedules;

import java.time.Instant;

/**
 * When a schedule ticks: a fixed interval ({@link Every}) or a cron expression ({@link Cron}). Ticks are
 * computed from the clock alone, never from what a replica did before, so that every replica finds the
 * same ticks without talking to the others.
 */
sealed interface Cadence permits Every, Cron {

    /** The latest tick at or before {@code now}; null if there is none (a cron that never fired yet). */
    Instant latest(Instant now);

    /** The first tick strictly after {@code after}; null if there is none (a cron whose last year is past). */
    Instant next(Instant after);
}
