package dev.errand;

import java.time.Instant;

/**
 * What is known of a durable call.
 *
 * @param state       where it is
 * @param currentStep a workflow's last step: the one it runs or waits in
 * @param result      its result as JSON, once {@code SUCCEEDED}
 * @param error       why it failed, once {@code FAILED} (its dead letter has the history)
 * @param children    the durable calls it started, by state
 * @param attempt     1, and one more each time an operator restarted the workflow ({@link WorkflowRestarts})
 */
public record CallStatus(String id, String function, boolean workflow, String parentId, State state,
        String currentStep, String result, String error, Children children, Instant createdAt, Instant startedAt,
        Instant finishedAt, int attempt) {

    /** A call's lifecycle. */
    public enum State {
        /** Recorded, not started yet. */
        PENDING,
        /** A workflow running, or resumed. */
        RUNNING,
        /** A workflow waiting (a durable sleep, or its children), holding no thread. */
        WAITING,
        /** Done; its result is stored. */
        SUCCEEDED,
        /** Dead-lettered: it will not run again unless its dead letter is replayed or it is restarted. */
        FAILED;

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    /** A call's children: started, finished well, failed. */
    public record Children(long total, long succeeded, long failed) {
        public long done() {
            return succeeded + failed;
        }
    }
}
