package dev.errand.internal.flow;

/** Why a consumer is not starting new messages; while any holds, its channel takes no more. */
public enum PauseReason {
    /** A circuit breaker of the consumer is open; one message probes it now and then. */
    CIRCUIT_BREAKER_OPEN,
    /** The consumer's rate limit is used up until its bucket refills. */
    RATE_LIMITED,
    /** An operator paused it ({@code POST /errand/consumers/<channel>/pause}) until they resume it. */
    OPERATOR,
    /** The service is shutting down: in-flight messages finish, the rest go back to the broker. */
    SHUTTING_DOWN
}
