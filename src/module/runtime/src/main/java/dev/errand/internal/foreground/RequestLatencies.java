package dev.errand.internal.foreground;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests of the last second or so: how long those that finished took, and which are still
 * running. A request registers when it arrives on the event loop and leaves when its response ends,
 * so the time counts its wait for a worker thread and for the CPU, which is what background work
 * takes from it.
 * <p>
 * The percentile is over the last {@code intervals} intervals, not the last one alone: a service that
 * answers 25 requests a second sees two or three in 100 ms, too few to judge by. After a cut the
 * controller {@link #forget}s them, so that the next decision rests on requests served under the new
 * limit.
 */
final class RequestLatencies {

    /** What the window saw. */
    record Window(int finished, long percentileNanos, int running, long oldestRunningNanos) {
    }

    private static final int MAX_SAMPLES = 8192;
    /**
     * A request running longer than this is long-lived (a long poll, a stream, a slow upload), not a
     * stalled foreground; one whose end was never seen (a handler replaced the response's end handler)
     * is forgotten after it, so the map cannot grow for good.
     */
    static final long LONG_LIVED_NANOS = 5_000_000_000L;

    private final Map<Object, Long> running = new ConcurrentHashMap<>();
    private final int intervals;
    private final ArrayDeque<long[]> past = new ArrayDeque<>();
    private long[] samples = new long[256];
    private int count;

    /** @param intervals how many intervals the window spans */
    RequestLatencies(int intervals) {
        this.intervals = Math.max(1, intervals);
    }

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
                    // Enough to rank: the rest of this interval is not needed for a p99.
                    return;
                }
                samples = Arrays.copyOf(samples, count * 2);
            }
            samples[count++] = took;
        }
    }

    /** Closes the interval that ends now and reads the window it ends. */
    Window take(double percentile, long nowNanos) {
        long[] window;
        synchronized (this) {
            past.addLast(Arrays.copyOf(samples, count));
            count = 0;
            while (past.size() > intervals) {
                past.removeFirst();
            }
            window = new long[past.stream().mapToInt(interval -> interval.length).sum()];
            int at = 0;
            for (long[] interval : past) {
                System.arraycopy(interval, 0, window, at, interval.length);
                at += interval.length;
            }
        }
        long oldest = 0;
        int young = 0;
        for (var entry : running.entrySet()) {
            long age = nowNanos - entry.getValue();
            if (age > LONG_LIVED_NANOS) {
                running.remove(entry.getKey(), entry.getValue());
            } else {
                young++;
                oldest = Math.max(oldest, age);
            }
        }
        long atPercentile = 0;
        if (window.length > 0) {
            Arrays.sort(window);
            atPercentile = window[Math.min(window.length - 1, (int) Math.ceil(percentile * window.length) - 1)];
        }
        return new Window(window.length, atPercentile, young, oldest);
    }

    /** Drops the finished requests seen so far: they were served under a limit that has changed. */
    synchronized void forget() {
        past.clear();
        count = 0;
    }
}
