package dev.errand;

/**
 * Where a dead letter stands. DEAD_LETTERED can go to REPLAYED (sent back to its queue) or
 * DISCARDED (deleted by an operator); a replayed message that fails again is DEAD_LETTERED again.
 */
public enum DeadLetterStatus {
    DEAD_LETTERED,
    REPLAYED,
    DISCARDED
}
