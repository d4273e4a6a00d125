package dev.errand.internal.functions;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.errand.internal.steps.StepRecorder;

/**
 * The durable call whose body runs on this thread. The interceptor tells the worker's own call of the
 * body (it runs) from the calls the body makes (they are recorded, as its children); a workflow keeps
 * here where its replay is: the next step, the next child, the children not yet recorded, and whether
 * this run waits (and for how long). Whether a run waits is this state, not an exception: the worker
 * reads it when the body has returned or thrown, whatever the body did in between.
 */
final class Execution {

    private static final ThreadScope<Execution> CURRENT = new ThreadScope<>();

    final FunctionCatalog.Function function;
    final String callId;
    private boolean entered;

    // A workflow's replay.
    final Map<Integer, StepRecorder.Numbered> steps;
    private int stepSeq;
    private int childSeq;
    int childrenStarted;
    /** Cancelled or timed out: it runs nothing new but its compensation. */
    boolean stopped;
    /** When it times out; null for never. A wait ends by then. */
    final Instant deadline;
    final List<CallStore.NewCall> pending = new ArrayList<>();
    /** Set once the run waits: it ends, its wait recorded with a timer due then. */
    private Instant waitsUntil;

    private Execution(FunctionCatalog.Function function, String callId, CallStore.WorkflowState state) {
        this.function = function;
        this.callId = callId;
        this.steps = state == null ? Map.of() : new java.util.HashMap<>(state.steps());
        this.childrenStarted = state == null ? 0 : state.childrenStarted();
        this.stopped = state != null && state.stopped();
        this.deadline = state == null ? null : state.deadline();
    }

    static Execution of(FunctionCatalog.Function function, String callId, CallStore.WorkflowState state) {
        return new Execution(function, callId, state);
    }

    static Execution current() {
        return CURRENT.current();
    }

    static Execution enter(Execution execution) {
        return CURRENT.enter(execution);
    }

    static void leave(Execution previous) {
        CURRENT.leave(previous);
    }

    /** True once: when the worker calls the body itself. */
    boolean enters(Method method) {
        if (!entered && method.equals(function.method())) {
            entered = true;
            return true;
        }
        return false;
    }

    boolean workflow() {
        return function.workflow();
    }

    /** This run waits: nothing more of the workflow runs in it ({@link Unwind}). */
    void waitUntil(Instant at) {
        waitsUntil = at;
    }

    boolean waiting() {
        return waitsUntil != null;
    }

    /** Ends the body of a run that waits; thrown again by every later call of the run into its workflow. */
    Unwind unwind() {
        return new Unwind(callId);
    }

    int nextStep() {
        return ++stepSeq;
    }

    /** The number {@link #nextStep()} would give, without taking it: a patch gate on the old code takes none. */
    int peekStep() {
        return stepSeq + 1;
    }

    /** Whether an earlier run started children past this point of the replay: it went further than here. */
    boolean childrenStartedPastHere() {
        return childSeq < childrenStarted;
    }

    /** The id of the next child: the same on every replay of deterministic code. */
    String nextChildId() {
        return callId + "/" + ++childSeq;
    }

    int childSeq() {
        return childSeq;
    }

    /** Whether the child just numbered was recorded by an earlier run. */
    boolean childRecorded() {
        return childSeq <= childrenStarted;
    }

    /**
     * Unwinds the body of a run that waits, out to the worker. An {@link Error}, so that the common
     * {@code catch (Exception e)} lets it by; a body that catches it anyway changes nothing, because
     * the worker decides from {@link #waiting()}, and every later call the body makes into its
     * workflow throws it again.
     */
    static final class Unwind extends Error {
        private Unwind(String callId) {
            super("workflow " + callId + " waits: this run ends here", null, false, false);
        }
    }
}
