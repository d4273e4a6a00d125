package dev.errand.internal.flow;

/**
 * Decides, once a tick, how many permits the background may hold, from how the foreground (the
 * service's own requests) fares: additive increase while it is within its target, a multiplicative
 * cut of what the background used when it is not (by half, or down to a quarter when the requests are
 * far over), never below a floor, and all the way up while there is no foreground to protect.
 * <p>
 * Why not Netflix's gradient or Vegas limits: they infer queueing from the latency of the very calls
 * they limit. Here the limited work (handlers) does not get slower when requests suffer; the requests
 * do. The signal is theirs, so the controller is AIMD on it, as TCP on a loss signal.
 * <p>
 * After a cut it waits {@code settleTicks} before it may cut again: work started under the old limit
 * is still running, and the requests it slowed are still finishing, so the next readings say nothing
 * yet about the new limit (as {@link AimdLimit}'s cooldown). Not thread-safe: one ticker calls it.
 */
public final class ForegroundFirstLimit {

    /** What a tick saw. */
    public record Reading(
            /** whether any request ran or finished during the tick */
            boolean foreground,
            /**
             * whether there were enough requests to judge by: a few sparse requests (a health probe, a
             * test polling) are not a foreground worth holding the background back for
             */
            boolean judged,
            /** the requests' latency at the target percentile (those finished, or the oldest still running) */
            long latencyNanos,
            /** the event loops' longest delay in running a task */
            long loopDelayNanos,
            /** the most permits the background held at once during the tick */
            int peakInUse) {
    }

    private static final double CUT = 0.5;
    private static final double DEEPEST_CUT = 0.25;

    private final long targetNanos;
    private final int floor;
    private final int settleTicks;
    private final int patienceTicks;
    private int settling;
    private int unjudged;

    /**
     * @param settleTicks   ticks after a cut before another may cut
     * @param patienceTicks ticks without enough requests to judge before the limit rises again
     */
    public ForegroundFirstLimit(long targetNanos, int floor, int settleTicks, int patienceTicks) {
        if (targetNanos <= 0) {
            throw new IllegalArgumentException("the latency target must be positive");
        }
        if (floor < 1) {
            throw new IllegalArgumentException("the background's floor must be at least 1, was " + floor);
        }
        this.targetNanos = targetNanos;
        this.floor = floor;
        this.settleTicks = settleTicks;
        this.patienceTicks = patienceTicks;
    }

    /**
     * @param limit   the limit now
     * @param ceiling the limit with nothing held back (the sum of the consumers' own concurrency)
     * @return the limit for the next tick, between the floor (or the ceiling if lower) and the ceiling
     */
    public int next(int limit, int ceiling, Reading reading) {
        int top = Math.max(1, ceiling);
        int bottom = Math.min(floor, top);
        limit = Math.max(bottom, Math.min(top, limit));
        boolean settled = settling == 0;
        if (!settled) {
            settling--;
        }
        if (reading.judged()) {
            unjudged = 0;
        }
        if (!reading.foreground()) {
            // Nothing to protect: back to full speed quickly (doubling), without a step to the ceiling
            // that one lone request would then have to pay for.
            return Math.min(top, Math.max(limit + 1, limit * 2));
        }
        if (breached(reading)) {
            if (!settled) {
                return limit;
            }
            settling = settleTicks;
            // From what the background used, not from a limit it never reached (at the start the limit is
            // the ceiling, far above the running handlers), and deeper the further the requests are over:
            // by target/latency, between a quarter and a half.
            int used = Math.max(1, Math.min(limit, reading.peakInUse()));
            double cut = Math.max(DEEPEST_CUT, Math.min(CUT, (double) targetNanos
                    / Math.max(1, Math.max(reading.latencyNanos(), reading.loopDelayNanos()))));
            return Math.max(bottom, (int) Math.floor(used * cut));
        }
        if (!reading.judged()) {
            // Too few requests to judge: right after a cut (its window starts afresh) that is no evidence
            // either way, so no change; for longer than a window it is a sparse foreground (a poll a
            // second), which is no reason to stay held back, so the background rises as if healthy.
            if (++unjudged < patienceTicks) {
                return limit;
            }
        }
        if (reading.peakInUse() * 2 >= limit) {
            // The background used at least half of what it had: one more.
            return Math.min(top, limit + 1);
        }
        // An unused limit is not raised: it would only allow a later burst of background work at once.
        return limit;
    }

    public boolean breached(Reading reading) {
        return reading.judged() && (reading.latencyNanos() > targetNanos || reading.loopDelayNanos() > targetNanos);
    }

    public long targetNanos() {
        return targetNanos;
    }
}
