package dev.errand.internal.deadletter;

import dev.errand.Origin;

/**
 * A dead letter was stored: fired synchronously, inside the transaction that stores it, for the
 * features that follow a failure (a durable call's status). The recorder knows none of them.
 *
 * @param messageId the failed message's id, as stored
 * @param consumer  the consumer (channel) that gave it up, or null when the letter did not say
 * @param reason    the failure kind's wire name
 * @param error     the last error's message, or null
 * @param origin    who wrote the failed message
 */
public record DeadLetterRecorded(String messageId, String consumer, String reason, String error, Origin origin) {
}
