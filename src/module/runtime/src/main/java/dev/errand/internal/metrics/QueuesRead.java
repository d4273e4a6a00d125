package dev.errand.internal.metrics;

import java.util.Map;
import java.util.Set;

import dev.errand.internal.broker.QueueState;

/**
 * One round of queue readings, fired by {@link QueueMetrics} after each refresh for whoever shows
 * them (the dashboard's trends).
 *
 * @param queues          every queue read, by plain name
 * @param states          what the broker answered, for the queues it answered about
 * @param depths          each queue's depth as the gauges now say (the last known one where the broker did not answer)
 * @param deadLetterQueue which of them holds the dead letters
 */
public record QueuesRead(Set<String> queues, Map<String, QueueState> states, Map<String, Long> depths,
        Map<String, Long> oldestAgeSeconds, Map<String, Long> inFlight, Map<String, Long> scheduled,
        String deadLetterQueue, long outboxBacklog, long outboxOldestAgeSeconds, long atNanos) {
}
