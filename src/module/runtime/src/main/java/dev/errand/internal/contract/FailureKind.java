package dev.errand.internal.contract;

/** Why a message was dead-lettered; written as {@link WireContract#DL_REASON}. */
public enum FailureKind {
    /** The message broke the wire contract (no message-id, not JSON, missing fields, too large). */
    CONTRACT_VIOLATION,
    /** The handler failed in a way that retrying cannot fix (a 4xx from downstream, say). */
    PERMANENT_FAILURE,
    /** Every retry failed with a transient error. */
    RETRIES_EXHAUSTED,
    /**
     * It came from outside the service (no valid signature) to a consumer that takes only the service's
     * own messages. Never processed, never marked as processed.
     */
    UNTRUSTED_SENDER,
    /**
     * Made longer ago than the processed-message retention: whether it ran can no longer be told. Never
     * run, never marked; a replay runs it.
     */
    PAST_MARKER_RETENTION;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
