package dev.errand.internal.operator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.errand.internal.broker.QueueState;
import dev.errand.internal.metrics.QueuesRead;

/**
 * The dashboard's view of the queues: each one's latest reading, its in and out rates over the last
 * round, and its recent depths for the trend line. Fed by every round of the metrics poller.
 */
@ApplicationScoped
public class QueueTrends {

    /** Depths kept per queue for the trend lines: three minutes at one reading per refresh (2 s). */
    static final int HISTORY = 90;

    /**
     * One queue as last read; rates are per second over the last refresh.
     *
     * @param inPerSecond  messages added to the queue (sent, retried, redelivered copies)
     * @param outPerSecond messages acknowledged: done with, one way or another
     */
    public record QueueView(String queue, long depth, long inFlight, long scheduled, long oldestAgeSeconds,
            double inPerSecond, double outPerSecond, boolean deadLetters, List<Long> depthHistory) {
    }

    /** Messages written to the outbox and not yet published, and how long the oldest has waited. */
    public record OutboxView(long backlog, long oldestAgeSeconds) {
    }

    /** Cumulative counters of one reading, to derive rates from the next. */
    private record Counters(long added, long acknowledged, long nanos) {
    }

    private final Map<String, Counters> lastCounters = new ConcurrentHashMap<>();
    private final Map<String, double[]> rates = new ConcurrentHashMap<>();
    private final Map<String, ArrayDeque<Long>> depthHistory = new ConcurrentHashMap<>();
    private volatile QueuesRead last;

    void read(@Observes QueuesRead reading) {
        reading.states().forEach((queue, state) -> readRates(queue, state, reading.atNanos()));
        reading.queues().forEach((queue, read) -> remember(queue, read.depth()));
        last = reading;
    }

    /** Every queue as last read, sorted by name. */
    public List<QueueView> queues() {
        QueuesRead reading = last;
        List<QueueView> views = new ArrayList<>();
        if (reading == null) {
            return views;
        }
        new TreeMap<>(reading.queues()).forEach((queue, read) -> {
            double[] rate = rates.getOrDefault(queue, new double[2]);
            views.add(new QueueView(queue, read.depth(), read.inFlight(), read.scheduled(), read.oldestAgeSeconds(),
                    rate[0], rate[1], queue.equals(reading.deadLetterQueue()), history(queue)));
        });
        return views;
    }

    /** The outbox as last read. */
    public OutboxView outbox() {
        QueuesRead reading = last;
        return reading == null ? new OutboxView(0, 0)
                : new OutboxView(reading.outboxBacklog(), reading.outboxOldestAgeSeconds());
    }

    private void remember(String queue, long depth) {
        ArrayDeque<Long> history = depthHistory.computeIfAbsent(queue, any -> new ArrayDeque<>());
        synchronized (history) {
            history.addLast(depth);
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
    }

    private List<Long> history(String queue) {
        ArrayDeque<Long> history = depthHistory.get(queue);
        if (history == null) {
            return List.of();
        }
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    private void readRates(String queue, QueueState state, long atNanos) {
        OptionalLong added = state.added();
        OptionalLong acknowledged = state.acknowledged();
        if (added.isEmpty() || acknowledged.isEmpty()) {
            return;
        }
        Counters now = new Counters(added.getAsLong(), acknowledged.getAsLong(), atNanos);
        Counters before = lastCounters.put(queue, now);
        if (before != null && now.nanos() > before.nanos()) {
            double seconds = (now.nanos() - before.nanos()) / 1e9;
            // A broker restart resets its counters: a negative difference is no rate at all.
            rates.put(queue, new double[] { Math.max(0, now.added() - before.added()) / seconds,
                    Math.max(0, now.acknowledged() - before.acknowledged()) / seconds });
        }
    }
}
