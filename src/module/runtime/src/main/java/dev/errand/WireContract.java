package dev.errand;

/**
 * Names on the wire that any AMQP 1.0 sender or reader of an Errand queue relies on.
 * docs/reference/wire-contract.md explains each; tests and configuration use these constants rather than
 * repeating the strings.
 */
public final class WireContract {

    /** Default address of the dead-letter queue ({@code errand.dead-letters.address}). */
    public static final String DEAD_LETTER_QUEUE = "errand.dead-letters";

    /**
     * The queue outside AMQP clients send signals to, for the workflows that take them
     * ({@link DurableWorkflow#outsideSignals()}); it exists only in a service that has such a workflow.
     */
    public static final String SIGNALS_QUEUE = "errand.signals";

    /** The only body type Errand accepts. */
    public static final String CONTENT_TYPE = "application/json";
    /**
     * The content-type on the messages Errand sends itself (outbox, retries, dead letters, replays).
     * The same JSON; the parameter keeps the AMQP connector from decoding the body on receipt, which
     * it cannot do for a dead letter whose body is not JSON (SmallRye AMQP 4.33 drops such a message
     * without settling it).
     */
    public static final String SENT_CONTENT_TYPE = CONTENT_TYPE + "; charset=utf-8";

    /** The content-type Errand sends a body under: {@link #SENT_CONTENT_TYPE} for JSON, else as it was. */
    public static String sentContentType(String contentType) {
        return CONTENT_TYPE.equalsIgnoreCase(contentType == null ? null : contentType.trim())
                ? SENT_CONTENT_TYPE : contentType;
    }
    /** Largest body, in bytes, that Errand will process. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** Longest accepted message-id, in characters; it is the idempotency key and is stored. */
    public static final int MAX_MESSAGE_ID_LENGTH = 255;

    /** Application property: how many times this work has been attempted before this delivery. */
    public static final String ATTEMPTS = "errand_attempts";
    /**
     * Application property: messages with the same ordering key are processed one at a time, in the
     * order they reached the queue. Messages without one run in parallel.
     */
    public static final String ORDERING_KEY = "errand_ordering_key";
    /**
     * Application property: the failed attempts so far, as a JSON array of
     * {@code {"attempt","at","error"}} (the last 20).
     */
    public static final String HISTORY = "errand_history";
    /**
     * Message annotation of a scheduled redelivery: epoch milliseconds before which the broker does
     * not deliver the message (Artemis' scheduled delivery).
     */
    public static final String DELIVERY_TIME_ANNOTATION = "x-opt-delivery-time";
    /**
     * Application property of a durable call's message: the call's business key. A function runs one call
     * per key: a start with a key already recorded for the function starts nothing. On the service's own
     * messages it is signed and says which key the call was recorded under; on an outside sender's start
     * it asks for one, kept apart from the service's keys (stored as {@link #OUTSIDE_ID_PREFIX}{@code <key>}).
     */
    public static final String BUSINESS_KEY = "errand_business_key";
    /** Longest business key, in characters (an outside key before its {@link #OUTSIDE_ID_PREFIX}). */
    public static final int MAX_BUSINESS_KEY_LENGTH = 200;

    /** Application property set on a replayed message: how many times it was replayed. */
    public static final String REPLAYED = "errand_replayed";

    /** Dead-letter application property: {@link FailureKind} of the failure, lower case. */
    public static final String DL_REASON = "errand_reason";
    public static final String DL_ERROR_CLASS = "errand_error_class";
    public static final String DL_ERROR_MESSAGE = "errand_error_message";
    public static final String DL_FIRST_FAILURE = "errand_first_failure";
    public static final String DL_LAST_FAILURE = "errand_last_failure";
    public static final String DL_ORIGINAL_ADDRESS = "errand_original_address";
    public static final String DL_CONSUMER = "errand_consumer";
    /**
     * Dead-letter application property: Errand's signature of the dead letter. A message on the
     * dead-letter queue without a valid one was not sent by Errand and is refused.
     */
    public static final String DL_SIGNATURE = "errand_signature";

    /**
     * The signature Errand puts on every message it sends ({@code errand_signature}): an HMAC, keyed by a
     * secret in the service's database, over the message-id, subject, correlation-id, body and every
     * {@code errand_*} property. A message without a valid one came from outside the service.
     */
    public static final String SIGNATURE = DL_SIGNATURE;

    /**
     * Set by Errand on its own copies (retries, dead letters, replays) of a message that came from
     * outside the service: {@code outside}. Absent on the service's own messages.
     */
    public static final String ORIGIN = "errand_origin";

    /**
     * Message-ids an outside sender's messages are kept under: their processed-message markers and step
     * keys begin with it, so they never meet the service's own. The service's own ids may not begin with it.
     */
    public static final String OUTSIDE_ID_PREFIX = "outside:";

    private WireContract() {
    }
}
