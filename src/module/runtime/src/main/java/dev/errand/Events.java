package dev.errand;

/**
 * Publishes events to every subscriber of their type ({@link Subscribe}).
 * <p>
 * An event goes through the outbox: published inside a transaction, it is sent if and only if that
 * transaction commits; published outside one, it is stored at once in a transaction of its own. Either
 * way it is on its way when {@code publish} returns, and it survives a crash before it is sent.
 * <pre>{@code
 * @Transactional
 * public long place(Order order) {
 *     order.persist();
 *     events.publish("lemonade.order-placed", new OrderPlaced(order.id, order.customer, order.cups));
 *     return order.id;
 * }
 * }</pre>
 */
public interface Events {

    /**
     * Publishes {@code payload}, as JSON, under {@code type}, with a new event id.
     *
     * @return the event id: the message-id each subscriber's idempotency is keyed by
     * @throws IllegalArgumentException when the type is not a valid event type, or the payload cannot
     *                                  be written as JSON
     */
    String publish(String type, Object payload);

    /**
     * Publishes under an id of the caller's: publishing the same event again (a retried request)
     * reaches each subscriber once, as its idempotency is keyed by this id.
     */
    String publish(String type, String eventId, Object payload);
}
