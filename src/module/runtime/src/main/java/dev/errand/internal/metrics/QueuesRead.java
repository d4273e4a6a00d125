package dev.errand.internal.metrics;

import java.util.Map;

import dev.errand.internal.broker.QueueState;

/**
 * One round of queue readings, fired by {@link QueueMetrics} after each refresh for whoever shows
 * them (the dashboard's trends).
 *
 * @param queues          every queue read, by plain name, as its gauges now say (the last known
 *                        figures where the broker did not answer)
 * @param states          what the broker answered, for the queues it answered about (with its counters)
 * @param deadLetterQueue which of the queues holds the dead letters
 */
public record QueuesRead(Map<String, Reading> queues, Map<String, QueueState> states, String deadLetterQueue,
        long outboxBacklog, long outboxOldestAgeSeconds, long atNanos) {

    /** One queue's gauges. */
    public record Reading(long depth, long inFlight, long scheduled, long oldestAgeSeconds) {
    }
}
