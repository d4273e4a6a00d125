package dev.errand;

import java.time.Duration;
import java.time.Instant;

/**
 * One step of a workflow as it ran: the history an operator reads to see where a run spent its time and
 * which step needed retries ({@link DurableCalls#steps}), as Temporal shows an activity's.
 *
 * @param seq            its place in the workflow's replay (sleeps, waits and child starts are steps too)
 * @param name           the name the workflow's code gave it
 * @param compensation   whether it is a step of the workflow's compensation ({@link Workflow#compensate})
 * @param startedAt      when its first attempt started; null for a step recorded before Errand kept it
 * @param finishedAt     when it succeeded and was recorded; null while it is failing and retried
 * @param durationMillis from its first attempt's start to its end (retries and their waits included);
 *                       null while unfinished, or without a start
 * @param attempts       its attempts: 1 when it worked first time; while failing, those that threw
 * @param lastError      what its last attempt threw, while it is failing; null once done
 */
public record CallStep(int seq, String name, boolean compensation, Instant startedAt, Instant finishedAt,
        Long durationMillis, int attempts, String lastError) {

    /** Whether it succeeded and was recorded: a replay returns its result without running it. */
    public boolean done() {
        return finishedAt != null;
    }

    /** A step as read, its duration worked out. */
    public static CallStep of(int seq, String name, boolean compensation, Instant startedAt, Instant finishedAt,
            int attempts, String lastError) {
        Long duration = startedAt == null || finishedAt == null ? null
                : Math.max(0, Duration.between(startedAt, finishedAt).toMillis());
        return new CallStep(seq, name, compensation, startedAt, finishedAt, duration, attempts, lastError);
    }
}
