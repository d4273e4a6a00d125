package dev.errand;

import java.util.List;
import java.util.Optional;

/** Reads durable calls: their status, their result, and the workflows. */
public interface DurableCalls {

    /** The call's status, if there is such a call. */
    Optional<CallStatus> status(String callId);

    /**
     * Cancels a call and every call under it that has not finished, in the caller's transaction (one of
     * its own when there is none). Children not started never run; a running function finishes and
     * stays {@code CANCELLED}; a workflow stops at its next step, sleep, wait or child start, where
     * {@link Workflow.Cancelled} lets it run its compensation ({@link Workflow#compensate}).
     *
     * @param by who cancels, kept in the call's error ("cancelled by ...")
     */
    Cancellation cancel(String callId, String by);

    /**
     * What {@link #cancel} did.
     *
     * @param cancelled the calls it ended: the call and those under it that had not finished
     */
    record Cancellation(Outcome outcome, int cancelled) {

        /** Whether the call was cancelled. */
        public enum Outcome {
            CANCELLED,
            /** No call has this id: nothing changed. */
            NO_SUCH_CALL,
            /** The call had finished: nothing changed. */
            FINISHED
        }
    }

    /** The call's status, if there is such a call. */
    Optional<CallStatus> status(Call<?> call);

    /** The call's result, once it has succeeded. */
    <R> Optional<R> result(Call<R> call, Class<R> type);

    /**
     * Workflows, newest first.
     *
     * @param parentId the workflows this workflow started; null for the top-level ones (no parent)
     * @param state    only those in this state; null for any state
     * @param limit    at most this many
     */
    List<CallStatus> workflows(String parentId, CallStatus.State state, int limit);

    /**
     * The runs of the workflows that may still run code, by the {@link Workflow#patched} changes they
     * recorded: what tells when a gate's old code can go. One entry per workflow of the service, with
     * no runs too, and per function that has such runs and is no workflow of this code any more.
     *
     * @param function only this workflow; null for all. Empty when it is no workflow and has no runs
     */
    List<WorkflowVersions> versions(String function);
}
