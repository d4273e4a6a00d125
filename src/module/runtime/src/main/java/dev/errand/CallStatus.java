package dev.errand;

import java.time.Instant;

/**
 * What is known of a durable call.
 *
 * @param state       where it is
 * @param currentStep a workflow's last step: the one it runs or waits in
 * @param result      its result as JSON, once {@code SUCCEEDED}
 * @param error       why it failed, once {@code FAILED} (its dead letter has the history); who cancelled it
 *                    ("cancelled by ..."), once {@code CANCELLED}, when being {@code finishedAt}; "timed out"
 * @param children    the durable calls it started, by state
 * @param businessKey the key it was started under ({@link DurableCalls#startOnce}), or null; an outside
 *                    sender's key as {@code outside:<key>}
 * @param attempt     1, and one more each time an operator restarted the workflow ({@link WorkflowRestarts})
 */
public record CallStatus(String id, String function, boolean workflow, String parentId, State state,
        String currentStep, String result, String error, Children children, Instant createdAt, Instant startedAt,
        Instant finishedAt, String businessKey, int attempt) {

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
        FAILED,
        /** Cancelled ({@link DurableCalls#cancel}), or its parent was: it runs nothing more but its compensation. */
        CANCELLED,
        /** Past its deadline: ended as if cancelled. */
        TIMED_OUT;

        public boolean finished() {
            return this != PENDING && this != RUNNING && this != WAITING;
        }

        /** Cancelled or timed out: ended from outside its code. */
        public boolean stopped() {
            return this == CANCELLED || this == TIMED_OUT;
        }
    }

    /** A call's children: started, finished well, failed, cancelled or timed out. */
    public record Children(long total, long succeeded, long failed, long stopped) {
        public Children(long total, long succeeded, long failed) {
            this(total, succeeded, failed, 0);
        }

        public long done() {
            return succeeded + failed + stopped;
        }
    }
}
