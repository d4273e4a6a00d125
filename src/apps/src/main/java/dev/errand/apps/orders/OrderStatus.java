package dev.errand.apps.orders;

/**
 * Where an order is. An order up to {@code orders.confirm-above-cents} is PROCESSING from the moment it is
 * stored until the worker has done every step, then COMPLETED. A larger one is AWAITING_PAYMENT first
 * (its stock reserved) until the payment provider's webhook confirms it (then PROCESSING), or it is
 * PAYMENT_TIMED_OUT (no confirmation by its due time) or CANCELLED (an operator cancelled its workflow):
 * both release its stock.
 */
public enum OrderStatus {
    AWAITING_PAYMENT,
    PROCESSING,
    COMPLETED,
    PAYMENT_TIMED_OUT,
    CANCELLED
}
