package dev.errand;

/**
 * One message handed to a handler, with what Errand knows of it, and its steps.
 * <pre>{@code
 * @Incoming("invoices")
 * void send(SendInvoice command, Task task) throws Exception {
 *     String id = task.step("create", key -> billing.create(key, command));   // once, even across retries
 *     task.step("email", key -> mailer.send(key, id));
 * }
 * }</pre>
 * Errand makes it; handlers only read it.
 *
 * @param <T> the payload's type
 */
public final class Task<T> {

    /** The work of one step: its idempotency key in, its result (recorded) out. */
    @FunctionalInterface
    public interface StepWork {
        String run(String key) throws Exception;
    }

    private final String consumer;
    private final String messageId;
    private final String subject;
    private final String correlationId;
    private final String orderingKey;
    private final int attempt;
    private final T payload;
    private final Steps steps;
    private final Origin origin;

    /** Made by Errand for each attempt; public for handlers' unit tests, with {@code steps} of their own. */
    public Task(String consumer, String messageId, String subject, String correlationId, String orderingKey,
            int attempt, T payload, Steps steps) {
        this(consumer, messageId, subject, correlationId, orderingKey, attempt, payload, steps, Origin.SERVICE);
    }

    /** The same, for a message of the given origin. */
    public Task(String consumer, String messageId, String subject, String correlationId, String orderingKey,
            int attempt, T payload, Steps steps, Origin origin) {
        this.origin = java.util.Objects.requireNonNull(origin, "origin");
        this.consumer = consumer;
        this.messageId = messageId;
        this.subject = subject;
        this.correlationId = correlationId;
        this.orderingKey = orderingKey;
        this.attempt = attempt;
        this.payload = payload;
        this.steps = steps;
    }

    /** The consumer: the {@code @Incoming} channel. */
    public String consumer() {
        return consumer;
    }

    /**
     * Who wrote the message: this service, or a sender outside it (only on a consumer that accepts
     * them, {@link OutsideSenders}). What an outside sender says, its correlation-id included, is data to
     * check against the service's own records, not fact.
     */
    public Origin origin() {
        return origin;
    }

    /** The message id, the idempotency key of the whole message. */
    public String messageId() {
        return messageId;
    }

    /** The task type (AMQP subject); may be null. */
    public String subject() {
        return subject;
    }

    /** Groups work (a campaign, an order); may be null. */
    public String correlationId() {
        return correlationId;
    }

    /** The ordering key ({@code errand-ordering-key}): messages of one key run one at a time, in order; may be null. */
    public String orderingKey() {
        return orderingKey;
    }

    /** 1 for the first attempt, counting the attempts of earlier deliveries. */
    public int attempt() {
        return attempt;
    }

    /** The body, mapped to the handler's payload type and validated. */
    public T payload() {
        return payload;
    }

    /**
     * Runs a step of this message once: a later attempt or redelivery skips it and gets its recorded
     * result. The step runs outside the handler's transaction (it is usually a remote call) and is
     * recorded as soon as it is done; pass {@code key} to the remote system as its idempotency key, so
     * that a step whose process died between its call and its record cannot take effect twice.
     *
     * @param name the step's name, unique within the handler
     * @return what the work returned, now or in an earlier attempt
     */
    public String step(String name, StepWork work) throws Exception {
        String key = stepKey(name);
        return steps.run(consumer, this, name, () -> work.run(key));
    }

    /** The idempotency key of a step: stable across attempts and redeliveries of this message. */
    public String stepKey(String name) {
        return Steps.key(this, name);
    }

    @Override
    public String toString() {
        return "Task[" + consumer + " " + messageId + ", attempt " + attempt + "]";
    }
}
