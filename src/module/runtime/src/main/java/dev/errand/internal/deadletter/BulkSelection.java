package dev.errand.internal.deadletter;

import java.time.Instant;

/**
 * Which waiting dead letters a bulk replay takes, besides their queues: each part null for any.
 *
 * @param reason the failure kind's wire name ({@code retries-exhausted}...)
 * @param from   dead-lettered at or after this
 * @param to     dead-lettered before this
 */
public record BulkSelection(String reason, Instant from, Instant to) {

    public static final BulkSelection ALL = new BulkSelection(null, null, null);

    /** The same, ending at {@code end} at the latest. */
    BulkSelection endingBy(Instant end) {
        return new BulkSelection(reason, from, to == null || to.isAfter(end) ? end : to);
    }
}
