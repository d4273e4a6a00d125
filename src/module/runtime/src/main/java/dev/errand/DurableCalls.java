package dev.errand;

import java.util.List;
import java.util.Optional;

/** Reads durable calls: their status, their result, and the workflows. */
public interface DurableCalls {

    /** The call's status, if there is such a call. */
    Optional<CallStatus> status(String callId);

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
