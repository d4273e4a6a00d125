package dev.errand.internal.broker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What this instance lately sent to each queue and took off it. A broker whose depth readings lag
 * (RabbitMQ's management API is as old as its last statistics) has not counted the latest of either,
 * so backpressure corrects its reading by the net flow: a batch producer asking again a moment later
 * sees its own batch, and a queue just drained by this instance is not taken for full.
 */
@ApplicationScoped
public class RecentFlow {

    /** One second of one queue: counts are kept per second so that a burst of thousands costs one entry. */
    private static final class Second {
        final long second;
        long sent;
        long settled;

        Second(long second) {
            this.second = second;
        }
    }

    private final Map<String, ArrayDeque<Second>> byQueue = new ConcurrentHashMap<>();

    /** The broker accepted a message for the queue. */
    public void sent(String queue) {
        record(queue, true);
    }

    /** A message of the queue was settled for good (accepted, or moved on as a retry or dead letter). */
    public void settled(String queue) {
        record(queue, false);
    }

    private void record(String queue, boolean sent) {
        long now = nowSecond();
        ArrayDeque<Second> seconds = byQueue.computeIfAbsent(queue, any -> new ArrayDeque<>());
        synchronized (seconds) {
            Second last = seconds.peekLast();
            if (last == null || last.second != now) {
                last = new Second(now);
                seconds.addLast(last);
            }
            if (sent) {
                last.sent++;
            } else {
                last.settled++;
            }
            // Nothing older than a minute is ever asked for.
            while (seconds.size() > 60) {
                seconds.removeFirst();
            }
        }
    }

    /**
     * Messages sent to the queue minus messages settled from it within the last {@code window}
     * (rounded up to whole seconds); zero for a zero window.
     */
    public long netWithin(String queue, Duration window) {
        ArrayDeque<Second> seconds = byQueue.get(queue);
        if (seconds == null || window.isZero()) {
            return 0;
        }
        long since = nowSecond() - Math.max(1, (window.toMillis() + 999) / 1000);
        long net = 0;
        synchronized (seconds) {
            for (Second second : seconds) {
                if (second.second >= since) {
                    net += second.sent - second.settled;
                }
            }
        }
        return net;
    }

    private static long nowSecond() {
        return System.nanoTime() / 1_000_000_000L;
    }
}
