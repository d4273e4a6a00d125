package dev.errand.apps.orders;

/** Names shared by annotations, configuration and tests. */
public final class OrderChannels {

    /** The incoming channel of the order worker; also its consumer name. */
    public static final String ORDERS = "orders";
    /** The broker queue behind it. */
    public static final String ORDERS_QUEUE = "errand.orders";
    /** The task type (AMQP subject). */
    public static final String PROCESS_SUBJECT = "order.process";

    /** AMQP priority of urgent orders: the broker and the consumer start them before normal ones. */
    public static final int URGENT_PRIORITY = 9;

    /** The worker's steps, in the order it does them. */
    public static final String CHARGE_PAYMENT = "charge-payment";
    public static final String SEND_CONFIRMATION = "send-confirmation";
    public static final String NOTIFY_WAREHOUSE = "notify-warehouse";
    public static final String UPDATE_INVENTORY = "update-inventory";

    /** The workflow an order above {@code orders.confirm-above-cents} runs while it waits for its payment. */
    public static final String PAYMENT_WORKFLOW = "order-payment";
    /** Its broker queue. */
    public static final String PAYMENT_WORKFLOW_QUEUE = "errand.functions." + PAYMENT_WORKFLOW;
    /** The signal the payment provider's webhook sends it. */
    public static final String PAYMENT_CONFIRMED = "payment-confirmed";

    private OrderChannels() {
    }

    /**
     * The idempotency key a partner gets for one step of one order: the business key, not the message's,
     * so that the same order sent again under another message-id is still charged once.
     */
    public static String stepKey(long orderId, String step) {
        return "order:" + orderId + ":" + step;
    }

    /** The business key of the order's payment workflow ({@code DurableCalls.startOnce}). */
    public static String paymentKey(long orderId) {
        return "order:" + orderId;
    }

    /** Stable per order, so a republished outbox row cannot process an order twice. */
    public static String messageId(long orderId) {
        return "order:" + orderId;
    }
}
