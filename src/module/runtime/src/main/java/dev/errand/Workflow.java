package dev.errand;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * Steps, durable sleep and fan-in for the body of a {@link DurableWorkflow}, which it acts on (it
 * is the workflow running on this thread).
 * <ul>
 * <li>{@link #step} runs work once and records its result as JSON; on a resume it returns the
 * recorded result instead of running again.</li>
 * <li>{@link #sleep} ends this run and resumes the workflow after the duration, from the broker's
 * scheduled delivery: no thread waits, and a restart does not lose it.</li>
 * <li>{@link #awaitAll} returns once every call has finished, succeeded or failed; until then the
 * workflow waits the same way, and the last of them to end wakes it.</li>
 * <li>{@link #awaitSignal} returns the next signal of a name that {@link Signals} sent it, or nothing
 * once its timeout is over; until then the workflow waits the same way.</li>
 * <li>{@link #patched} and {@link #deprecatePatch} let the code change while runs of the old code
 * are in flight: a gate that old runs pass on the old path and new runs on the new one.</li>
 * </ul>
 * Between these, the code runs again on every resume: it must do the same thing each time (no clock,
 * no random numbers, no reads of changing data outside a step).
 */
public interface Workflow {

    /**
     * A step's work threw a checked exception; it is the cause. Errand classifies the failure by the
     * cause (a {@link PermanentFailure} stays permanent), so a workflow's code need not declare it.
     */
    class StepFailed extends RuntimeException {
        public StepFailed(String step, Exception cause) {
            super("step " + step + " failed: " + cause, cause);
        }
    }

    /**
     * The workflow was cancelled ({@link DurableCalls#cancel}) or ran past its deadline: thrown by the
     * next step, sleep, wait or child start that would do new work (a recorded step still replays).
     * A workflow that must undo something catches it and runs its clean-up with {@link #compensate};
     * the call stays {@code CANCELLED} (or {@code TIMED_OUT}) however the body ends.
     */
    class Cancelled extends RuntimeException {
        public Cancelled(String message) {
            super(message);
        }
    }

    /** A call that failed: dead-lettered, with why. */
    record Failure(String callId, String error) {
    }

    /**
     * The outcome of the calls a workflow waited for.
     *
     * @param succeeded the results of the calls that succeeded, in the order of the calls
     * @param failed    the calls that failed
     */
    record Results<R>(List<R> succeeded, List<Failure> failed) {
        public int total() {
            return succeeded.size() + failed.size();
        }
    }

    /** The running workflow's call id. */
    String id();

    /**
     * Runs {@code work} once for this workflow, outside its transaction, and records its result; a
     * resumed workflow gets the recorded result. Pass {@code key} to a remote system as its idempotency
     * key: if the process dies after the work and before the record, the work runs again.
     * A checked exception of the work comes out as {@link StepFailed}.
     *
     * @param name unique within the workflow
     */
    <T> T step(String name, Class<T> type, StepWork<T> work);

    /** {@link #step(String, Class, StepWork)} for a generic result, such as {@code List<Long>}. */
    <T> T step(String name, TypeReference<T> type, StepWork<T> work);

    /**
     * A step that runs even once the workflow is cancelled or timed out: its compensation, run from a
     * {@code catch (Workflow.Cancelled e)} (or in any case), recorded and replayed like any step.
     * <pre>{@code
     * try {
     *     workflow.step("reserve", ...);
     *     Optional<Paid> paid = workflow.awaitSignal("payment", Paid.class, timeout);
     *     ...
     * } catch (Workflow.Cancelled e) {
     *     workflow.compensate("release stock", Void.class, key -> stock.release(key, orderId));
     *     throw e;
     * }
     * }</pre>
     */
    <T> T compensate(String name, Class<T> type, StepWork<T> work);

    /** Resumes the workflow after {@code duration}, holding no thread, across restarts. */
    void sleep(Duration duration);

    /** Waits, holding no thread, until every call has succeeded or failed, and gives their outcomes. */
    <R> Results<R> awaitAll(List<Call<R>> calls, Class<R> resultType);

    /**
     * Waits, holding no thread and across restarts, for the next signal of this name sent to this
     * workflow ({@link Signals#send}), at most {@code timeout} from when the workflow first got here.
     * A signal sent before the wait is kept and taken here at once; signals of one name are taken oldest
     * first, one per wait. A resumed workflow gets what the wait got the first time.
     * <pre>{@code
     * Optional<Approval> approval = workflow.awaitSignal("approval", Approval.class, Duration.ofHours(24));
     * if (approval.isEmpty()) { ... expired ... }
     * }</pre>
     *
     * @return the signal's payload; empty when the timeout ended the wait
     */
    <T> java.util.Optional<T> awaitSignal(String name, Class<T> type, Duration timeout);

    /**
     * A gate for a change of the workflow's code, so that runs started under the old code finish on it
     * while new runs take the new code. Put it where the code changes, keep the old code in its
     * {@code else}, and deploy:
     * <pre>{@code
     * if (workflow.patched("fee")) {
     *     workflow.step("charge with fee", ...);   // the new code
     * } else {
     *     workflow.step("charge", ...);            // the old code, until no run is on it
     * }
     * }</pre>
     * It answers from what the run recorded at this place of its replay:
     * <ul>
     * <li>nothing yet (a new run, or an old one that had not come this far): it records a marker (a step
     * named {@code "patch <change>"}) and answers {@code true};</li>
     * <li>that marker: {@code true};</li>
     * <li>anything else (a run that went past here under the old code): {@code false}, and it takes no
     * place in the replay, so the old code's steps keep their numbers and are checked as before.</li>
     * </ul>
     * Once {@code DurableCalls.versions} (or {@code GET /errand/workflows/versions}) shows no run started
     * before this gate's deploy without this patch, the old code can go: replace the gate by
     * {@link #deprecatePatch}.
     *
     * @param change names the change (the listing shows it), the same on every run of this code
     * @return whether this run takes the new code
     */
    boolean patched(String change);

    /**
     * The second life of a {@link #patched} gate, once no run is on the old code: new runs record no
     * marker, and a run that recorded it replays it. Only the new code remains after it. Once the listing
     * shows no run with this patch, remove the call: a run that still had the marker would otherwise fail
     * as changed under it.
     *
     * @param change as given to {@link #patched}
     */
    void deprecatePatch(String change);
}
