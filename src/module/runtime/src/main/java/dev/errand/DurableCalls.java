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

    /** Workflows, newest first: the top-level ones, or those a parent started; in any state when null. */
    List<CallStatus> workflows(String parentId, CallStatus.State state, int limit);
}
