package dev.errand.core.handling;

/**
 * One piece of work handed to a handler.
 *
 * @param messageId     the idempotency key
 * @param subject       the task type (AMQP subject), may be null
 * @param correlationId groups work (a campaign, an order), may be null
 * @param attempt       1 for the first attempt, counting attempts of earlier deliveries
 * @param payload       the body, mapped and validated
 */
public record Task<T>(String messageId, String subject, String correlationId, int attempt, T payload) {
}
