package dev.errand.internal.flow;

/** Why a consumer is not starting new messages; while any holds, its channel takes no more. */
public enum PauseReason {
    /** A circuit breaker of the consumer is open; one message probes it now and then. */
    CIRCUIT_BREAKER_OPEN,
    /** The consumer's rate limit is used up until its bucket refills. */
    RATE_LIMITED,
    /**
     * Held back for the service's requests: the background as a whole is at the limit that the
     * foreground-first controller set while requests answer slower than their target.
     */
    FOREGROUND_FIRST,
    /** An operator paused it ({@code POST /errand/consumers/<channel>/pause}) until they resume it. */
    OPERATOR,
    /**
     * The database gives this replica no connection: nothing starts, and what the consumer held went
     * back to the broker for the replicas that can work, until a connection comes.
     */
    DATABASE_UNAVAILABLE,
    /** The service is shutting down: in-flight messages finish, the rest go back to the broker. */
    SHUTTING_DOWN
}
