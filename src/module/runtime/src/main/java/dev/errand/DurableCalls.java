package dev.errand;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Starts durable calls once per business key, and reads calls: their status, their result, and the workflows. */
public interface DurableCalls {

    /**
     * Starts the durable call that {@code start} makes, unless this function already has a call recorded
     * under {@code businessKey}: then it starts nothing and returns that call's handle. A retried request,
     * a second click or a second replica asking for the same business thing gets the one call:
     * <pre>{@code
     * Call<Receipt> charge = calls.startOnce("order:" + orderId, () -> payments.charge(orderId, amount));
     * }</pre>
     * The key is looked up in the caller's transaction, where the call is recorded: two concurrent starts
     * with one key give one call (the second waits until the first's transaction ends, then returns its
     * handle; if the first rolled back, the second starts). Keys are per function: one key on two
     * functions is two calls. A key stays taken while its call is recorded, finished or failed (a failed
     * call runs again by replaying its dead letter), until retention removes the call
     * ({@code errand.retention.finished-calls}). A repeated start's arguments are not looked at: the first
     * call's stand.
     * <p>
     * In a workflow's code (not inside a step's work), the keyed start is one of its steps, named
     * {@code "start once <key>"}: it runs once and records the handle, so a resumed workflow gets the same
     * call, whichever workflow or caller recorded it under the key.
     *
     * @param businessKey 1 to {@value WireContract#MAX_BUSINESS_KEY_LENGTH} characters, not blank, no control
     *                    characters, not beginning with {@code outside:} (an outside sender's keys)
     * @param start       makes exactly one durable call, e.g. {@code () -> export.sendUser(42)}
     * @return the handle of the call recorded under the key: this one, or the earlier one
     * @throws IllegalArgumentException if the key is not one
     * @throws IllegalStateException    if {@code start} makes no durable call, or more than one
     */
    <R> Call<R> startOnce(String businessKey, Supplier<Call<R>> start);

    /**
     * The call recorded for {@code function} under {@code businessKey}, if there is one (an outside
     * sender's key as {@code outside:<key>}).
     */
    Optional<CallStatus> byBusinessKey(String function, String businessKey);

    /** The call's status, if there is such a call. */
    Optional<CallStatus> status(String callId);

    /**
     * A workflow's steps, in the order its code ran them, each with its start, end, attempts and
     * duration; a step failing now (retried, not done) comes last. Empty for a call that is not a workflow
     * or has no step yet. Read apart from {@link #status}, which pollers call often.
     */
    List<CallStep> steps(String callId);

    /**
     * Starts the durable calls {@code start} makes with a deadline {@code timeout} from now: a call not
     * finished by then stops as if cancelled, as {@code TIMED_OUT}, with the calls under it; its children
     * (and theirs) have its deadline, or their own when that comes first. A waiting workflow is woken at its
     * deadline; a function that runs past it finishes its run (nothing interrupts a thread) and is not
     * retried after. Inside a workflow's code, use it around a child's start only: the child's deadline is
     * recorded with it, and a replay finds it recorded.
     * <pre>{@code
     * Call<Summary> export = calls.startWithin(Duration.ofHours(2), () -> exports.export(id));
     * }</pre>
     */
    <R> Call<R> startWithin(java.time.Duration timeout, java.util.function.Supplier<Call<R>> start);

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
