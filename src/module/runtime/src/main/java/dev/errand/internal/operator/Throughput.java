package dev.errand.internal.operator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Items per second of each batch over the last {@value #WINDOW_SECONDS} s, from the counts seen at
 * each look. A recent window rather than the average since the start, so a batch that was paused
 * by an outage shows how fast it goes now, and its ETA follows.
 */
final class Throughput {

    static final int WINDOW_SECONDS = 15;

    private record Sample(long nanos, long settled) {
    }

    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

    /** Records {@code settled} items of batch {@code key} now, and returns the rate over the window. */
    double observe(String key, long settled, long nanos) {
        Deque<Sample> history = samples.computeIfAbsent(key, any -> new ArrayDeque<>());
        synchronized (history) {
            history.addLast(new Sample(nanos, settled));
            while (history.size() > 2 && nanos - history.peekFirst().nanos() > WINDOW_SECONDS * 1_000_000_000L) {
                history.removeFirst();
            }
            Sample first = history.peekFirst();
            double seconds = (nanos - first.nanos()) / 1e9;
            return seconds < 0.5 ? 0 : Math.max(0, settled - first.settled()) / seconds;
        }
    }

    /** Forgets batches no longer shown, so the map does not grow forever. */
    void retain(java.util.Set<String> keys) {
        samples.keySet().retainAll(keys);
    }
}
