package dev.errand.internal.broker;

import java.util.OptionalLong;

/**
 * What the broker says of one queue at one moment.
 *
 * @param depth            messages on it: waiting, in delivery and scheduled
 * @param inDelivery       delivered to a consumer and not yet settled
 * @param scheduled        waiting for their delivery time (0 where the broker has no scheduled delivery)
 * @param oldestAgeMillis  how long the message at the head has waited, from its creation-time; empty
 *                         when the queue is empty or the broker cannot tell
 * @param added            messages ever added (sent, retried, redelivered copies), for rates; empty
 *                         when unknown
 * @param acknowledged     messages ever acknowledged, for rates; empty when unknown
 */
public record QueueState(long depth, long inDelivery, long scheduled, OptionalLong oldestAgeMillis,
        OptionalLong added, OptionalLong acknowledged) {
}
