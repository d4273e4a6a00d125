package dev.errand;

/**
 * Who wrote a message: the service itself (through Errand: the outbox, events, durable calls, and
 * Errand's own retries, replays and dead letters, all signed), or a sender outside it (any AMQP client
 * with the broker's sender user). A consumer takes messages from outside only when it says so
 * ({@link OutsideSenders}, or {@code errand.consumers."<channel>".outside-senders=true}); everything
 * else on its queue must carry the service's signature.
 * <p>
 * The two never share idempotency: an outside message's processed-message marker, its steps and its
 * step keys live under {@link WireContract#OUTSIDE_ID_PREFIX}, so an outside sender that sends a
 * message-id the service uses cannot make the service's own message look done, nor its own run twice.
 */
public enum Origin {

    /** Written by this service through Errand, and signed by it. */
    SERVICE,

    /** Written by a sender outside the service: what it says is data, not fact. */
    OUTSIDE;

    /** The key this message's idempotency (marker, steps) is kept under. */
    public String idempotencyId(String messageId) {
        return this == OUTSIDE ? WireContract.OUTSIDE_ID_PREFIX + messageId : messageId;
    }

    /** How it is written on the wire ({@link WireContract#ORIGIN}) and in the dead-letter records. */
    public String wireName() {
        return this == OUTSIDE ? "outside" : "service";
    }

    /** The origin a wire name stands for; anything but {@code outside} is the service. */
    public static Origin ofWireName(String name) {
        return "outside".equals(name) ? OUTSIDE : SERVICE;
    }
}
