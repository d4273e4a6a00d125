package dev.errand.internal.foreground;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests of one interval: how long those that finished took, and which are still running. A
 * request registers when it arrives on the event loop and leaves when its response ends, so the time
 * counts its wait for a worker thread and for the CPU, which is what background work takes from it.
 */
final class RequestLatencies {

    /** What one interval saw. */
    record Interval(int finished, long percentileNanos, int running, long oldestRunningNanos) {
    }

    private static final int MAX_SAMPLES = 8192;

    private final Map<Object, Long> running = new ConcurrentHashMap<>();
    private long[] samples = new long[256];
    private int count;
    /** Finished in this interval beyond what the sample buffer holds: counted, not ranked. */
    private int dropped;

    void started(Object request, long nowNanos) {
        running.put(request, nowNanos);
    }

    void finished(Object request, long nowNanos) {
        Long start = running.remove(request);
        if (start == null) {
            return;
        }
        long took = nowNanos - start;
        synchronized (this) {
            if (count == samples.length) {
                if (count == MAX_SAMPLES) {
                    dropped++;
                    return;
                }
                samples = Arrays.copyOf(samples, count * 2);
            }
            samples[count++] = took;
        }
    }

    /** The interval that ends now, and a fresh one begun. */
    Interval take(double percentile, long nowNanos) {
        long[] taken;
        int lost;
        synchronized (this) {
            taken = Arrays.copyOf(samples, count);
            lost = dropped;
            count = 0;
            dropped = 0;
        }
        long oldest = 0;
        for (Long start : running.values()) {
            oldest = Math.max(oldest, nowNanos - start);
        }
        long atPercentile = 0;
        if (taken.length > 0) {
            Arrays.sort(taken);
            atPercentile = taken[Math.min(taken.length - 1, (int) Math.ceil(percentile * taken.length) - 1)];
        }
        return new Interval(taken.length + lost, atPercentile, running.size(), oldest);
    }
}
