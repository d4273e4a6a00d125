package dev.errand.internal.flow;

/**
 * Additive increase, multiplicative decrease, as TCP finds a link's capacity: after every window of
 * healthy completions the limit grows by one; on overload it shrinks by {@code backoffRatio}, once per
 * burst: the completions of calls that were already running under the old limit are ignored, so
 * that one burst of failures does not collapse it to the floor.
 * <p>
 * Overload is downstream pushing back (a 429, a 5xx, a timeout) or latency rising: a window whose
 * mean latency exceeds {@code latencyTolerance} times the best window seen so far. The best window
 * drifts up slowly, so that a downstream that got slower for good is not chased forever.
 * <p>
 * Not thread-safe: the dispatcher calls it under its own lock.
 */
public final class AimdLimit implements ConcurrencyLimit {

    private final int min;
    private final int max;
    private final double backoffRatio;
    private final double latencyTolerance;
    private final int window;

    private double limit;
    private int samples;
    private long latencySum;
    private int cooldown;
    private double bestMeanNanos = Double.MAX_VALUE;

    public AimdLimit(int min, int initial, int max, double backoffRatio, double latencyTolerance, int window) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("need 1 <= min <= max, was min " + min + ", max " + max);
        }
        if (backoffRatio <= 0 || backoffRatio >= 1) {
            throw new IllegalArgumentException("backoffRatio must be between 0 and 1, was " + backoffRatio);
        }
        if (latencyTolerance <= 1) {
            throw new IllegalArgumentException("latencyTolerance must be above 1, was " + latencyTolerance);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, was " + window);
        }
        this.min = min;
        this.max = max;
        this.backoffRatio = backoffRatio;
        this.latencyTolerance = latencyTolerance;
        this.window = window;
        this.limit = Math.max(min, Math.min(max, initial));
    }

    @Override
    public int current() {
        return (int) limit;
    }

    @Override
    public void record(long latencyNanos, boolean overloaded) {
        if (cooldown > 0) {
            // Calls started under the old, higher limit: they say nothing about the new one.
            cooldown--;
            return;
        }
        samples++;
        latencySum += latencyNanos;
        if (overloaded) {
            // Back off at once rather than at the end of the window.
            decrease();
            return;
        }
        if (samples < window) {
            return;
        }
        double mean = (double) latencySum / samples;
        if (mean > bestMeanNanos * latencyTolerance) {
            decrease();
        } else {
            limit = Math.min(max, limit + 1);
        }
        // Creep the best mean towards what is seen now (1% a window), so an old record ages out.
        bestMeanNanos = Math.min(mean, bestMeanNanos == Double.MAX_VALUE ? mean : bestMeanNanos * 1.01);
        resetWindow();
    }

    private void decrease() {
        cooldown = (int) limit;
        limit = Math.max(min, Math.floor(limit * backoffRatio));
        resetWindow();
    }

    private void resetWindow() {
        samples = 0;
        latencySum = 0;
    }
}
