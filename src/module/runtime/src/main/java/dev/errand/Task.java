package dev.errand;

import java.util.Objects;

/**
 * One message handed to a handler, with what Errand knows of it, and its steps.
 * <pre>{@code
 * @Incoming("invoices")
 * void send(SendInvoice command, Task task) throws Exception {
 *     String id = task.step("create", key -> billing.create(key, command));   // once, even across retries
 *     task.step("email", key -> mailer.send(key, id));
 * }
 * }</pre>
 * Errand makes it; handlers only read it. A handler's unit test builds one with {@link #builder}, its
 * steps recorded in memory:
 * <pre>{@code
 * Task<SendInvoice> task = Task.builder(command).messageId("m-1").build();
 * }</pre>
 *
 * @param <T> the payload's type
 */
public final class Task<T> {

    private final String consumer;
    private final String messageId;
    private final String subject;
    private final String correlationId;
    private final String orderingKey;
    private final int attempt;
    private final T payload;
    private final Steps steps;
    private final Origin origin;

    /** Made by Errand for each attempt; a handler's unit test uses {@link #builder} instead. */
    public Task(String consumer, String messageId, String subject, String correlationId, String orderingKey,
            int attempt, T payload, Steps steps) {
        this(consumer, messageId, subject, correlationId, orderingKey, attempt, payload, steps, Origin.SERVICE);
    }

    /** The same, for a message of the given origin. */
    public Task(String consumer, String messageId, String subject, String correlationId, String orderingKey,
            int attempt, T payload, Steps steps, Origin origin) {
        this.origin = Objects.requireNonNull(origin, "origin");
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
    public String step(String name, StepWork<String> work) throws Exception {
        String key = stepKey(name);
        return steps.once(consumer, origin.idempotencyId(messageId), name, () -> work.run(key));
    }

    /** The idempotency key of a step: stable across attempts and redeliveries of this message. */
    public String stepKey(String name) {
        // An outside sender's message keeps its steps apart: it cannot take a service message's keys.
        return origin.idempotencyId(messageId) + ":" + name;
    }

    /**
     * A task for a handler's unit test, with {@code payload}: consumer {@code "test"}, message id
     * {@code "test-message"}, attempt 1, from the service, its steps recorded in memory
     * ({@link Steps#inMemory()}) unless given.
     */
    public static <T> Builder<T> builder(T payload) {
        return new Builder<>(payload);
    }

    /** Builds a {@link Task} for a test; every setting has a default. */
    public static final class Builder<T> {

        private final T payload;
        private String consumer = "test";
        private String messageId = "test-message";
        private String subject;
        private String correlationId;
        private String orderingKey;
        private int attempt = 1;
        private Steps steps;
        private Origin origin = Origin.SERVICE;

        private Builder(T payload) {
            this.payload = payload;
        }

        public Builder<T> consumer(String consumer) {
            this.consumer = Objects.requireNonNull(consumer, "consumer");
            return this;
        }

        public Builder<T> messageId(String messageId) {
            this.messageId = Objects.requireNonNull(messageId, "messageId");
            return this;
        }

        public Builder<T> subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder<T> correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        public Builder<T> orderingKey(String orderingKey) {
            this.orderingKey = orderingKey;
            return this;
        }

        /** 1 for the first attempt; a retry's task has a higher one. */
        public Builder<T> attempt(int attempt) {
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt counts from 1, not " + attempt);
            }
            this.attempt = attempt;
            return this;
        }

        /** Where the steps are recorded: share one between two tasks to see a retry skip the steps done. */
        public Builder<T> steps(Steps steps) {
            this.steps = Objects.requireNonNull(steps, "steps");
            return this;
        }

        public Builder<T> origin(Origin origin) {
            this.origin = Objects.requireNonNull(origin, "origin");
            return this;
        }

        public Task<T> build() {
            return new Task<>(consumer, messageId, subject, correlationId, orderingKey, attempt, payload,
                    steps == null ? Steps.inMemory() : steps, origin);
        }
    }

    @Override
    public String toString() {
        return "Task[" + consumer + " " + messageId + ", attempt " + attempt + "]";
    }
}
