package dev.errand;

/**
 * Where a dead letter stands. DEAD_LETTERED can go to REPLAYED (sent back to its queue) or
 * DISCARDED (deleted by an operator); a replayed message that fails again is DEAD_LETTERED again.
 */
public enum DeadLetterStatus {
    /** In the dead-letter store, waiting for an operator. */
    DEAD_LETTERED,
    /** Sent back to its queue; dead-lettered again if it fails again. */
    REPLAYED,
    /** Deleted by an operator: it stays as a record, and a replay cannot bring it back. */
    DISCARDED
}
