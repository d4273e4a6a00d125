package dev.errand;

import java.time.Instant;
import java.util.List;

/**
 * Runs a failed workflow again, after the cause was fixed (a bug fixed and deployed, a partner back up):
 * from the step where it failed, or from a named earlier step. The steps before that step are replayed
 * from their records and run nothing; that step and the ones after it run again. It is the same call,
 * with the same id, children and signals: a new <em>attempt</em> of it ({@link CallStatus#attempt()}),
 * listed in its {@link #attempts history}.
 * <p>
 * A restart is recorded in one transaction (the caller's, or one of its own): the steps forgotten, the
 * call waiting to run, the attempt in its history, the failed call's dead letter marked replayed (so that
 * replaying it later does not run the workflow on top), and the wake-up that runs it. Over HTTP:
 * {@code POST /errand/calls/{id}/restart[?fromStep=]} and {@code POST /errand/workflows/restart}.
 * <p>
 * A cancelled or timed-out workflow restarts too: by default from where it was stopped, its compensation
 * forgotten (it runs again if it is stopped again), with no deadline but its annotation's timeout from now.
 * Its children keep their outcomes, as for a failed one: a child the cancellation ended counts as failed to
 * an {@code awaitAll} that runs again, and a child workflow is restarted on its own.
 */
public interface WorkflowRestarts {

    /** How long a step name may be ({@link #restart}'s {@code fromStep}). */
    int MAX_STEP_NAME = 500;

    /**
     * Restarts a failed, cancelled or timed-out workflow.
     *
     * @param callId   the workflow's call id
     * @param fromStep the name of a recorded step to run again from (the first step of that name), with all
     *                 after it; null to run again from the step that failed (forgetting nothing) or, for a
     *                 stopped workflow, from its first step after it was stopped
     * @param by       who asks, kept in the history (an operator's user name)
     * @return the attempt this begins
     * @throws Refused when there is no such workflow, it has not failed, the step was not recorded, or the
     *                 workflow is not in this service's code any more; nothing is changed then
     */
    Attempt restart(String callId, String fromStep, String by);

    /**
     * Counts, or restarts from their failed steps, the workflows of a function that failed within a time
     * range (those that failed at or after {@code failedFrom} and before {@code failedTo}, and before this
     * call began: a run restarted here that fails at once is not restarted again). Each restart commits on
     * its own; a run that changed meanwhile (restarted by someone else, say) is skipped.
     *
     * @param dryRun true to count only, changing nothing
     * @throws IllegalArgumentException when the function is no workflow of this service, or the range is
     *                                  empty
     */
    Bulk restartFailed(String function, Instant failedFrom, Instant failedTo, boolean dryRun, String by);

    /**
     * The attempts of a workflow, the first one first: one, and one more per restart. Empty when there
     * is no such workflow.
     */
    List<Attempt> attempts(String callId);

    /**
     * One run of a workflow from its start or from a restart.
     *
     * @param attempt     1 for the first run, then one more per restart
     * @param startedAt   when the workflow was started (attempt 1) or restarted
     * @param restartedBy who restarted it; null for the first attempt
     * @param fromSeq     the number of the first step it ran (1 for the first attempt)
     * @param fromStep    the step named to restart from; null for the first attempt and for a restart from
     *                    the step that failed
     * @param error       how it failed, for an attempt that a restart ended; the last attempt's own end is
     *                    the call's ({@link CallStatus#error()})
     */
    record Attempt(int attempt, Instant startedAt, String restartedBy, int fromSeq, String fromStep, String error) {
    }

    /**
     * What a bulk restart came to.
     *
     * @param matched   the failed workflows in the range (when it began)
     * @param restarted those restarted; 0 in a dry run
     */
    record Bulk(String function, Instant failedFrom, Instant failedTo, boolean dryRun, long matched, long restarted) {
    }

    /** A restart that cannot be done: nothing was changed. */
    final class Refused extends RuntimeException {

        /** Why a restart was refused. */
        public enum Reason {
            /** No workflow has this call id (or the call is a plain function). */
            NO_SUCH_WORKFLOW,
            /** The workflow has not failed nor been stopped: it runs, waits or succeeded. */
            NOT_FAILED,
            /** The workflow recorded no step of that name. */
            NO_SUCH_STEP,
            /** The workflow's function is not in this service's code: nothing would run it. */
            NOT_DEPLOYED
        }

        private final Reason reason;

        public Refused(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}
