package dev.errand.core.backpressure;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What this instance sent to each queue lately. A broker whose depth readings lag (RabbitMQ's
 * management API is as old as its last statistics) has not counted these yet, so backpressure adds
 * them to its reading: a batch producer asking again a moment later sees its own batch.
 */
@ApplicationScoped
public class RecentSends {

    /** One second's sends: counts are kept per second so that a burst of thousands costs one entry. */
    private static final class Second {
        final long second;
        long messages;

        Second(long second) {
            this.second = second;
        }
    }

    private final Map<String, ArrayDeque<Second>> byQueue = new ConcurrentHashMap<>();

    /** The broker accepted a message for the queue. */
    public void sent(String queue) {
        long now = nowSecond();
        ArrayDeque<Second> seconds = byQueue.computeIfAbsent(queue, any -> new ArrayDeque<>());
        synchronized (seconds) {
            Second last = seconds.peekLast();
            if (last == null || last.second != now) {
                last = new Second(now);
                seconds.addLast(last);
            }
            last.messages++;
            // Nothing older than a minute is ever asked for.
            while (seconds.size() > 60) {
                seconds.removeFirst();
            }
        }
    }

    /** Messages sent to the queue within the last {@code window} (rounded up to whole seconds). */
    public long within(String queue, Duration window) {
        ArrayDeque<Second> seconds = byQueue.get(queue);
        if (seconds == null || window.isZero()) {
            return 0;
        }
        long since = nowSecond() - Math.max(1, (window.toMillis() + 999) / 1000);
        long total = 0;
        synchronized (seconds) {
            for (Second second : seconds) {
                if (second.second >= since) {
                    total += second.messages;
                }
            }
        }
        return total;
    }

    private static long nowSecond() {
        return System.nanoTime() / 1_000_000_000L;
    }
}
