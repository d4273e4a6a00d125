package dev.errand.internal.functions;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The durable call whose body runs on this thread. The interceptor tells the worker's own call of the
 * body (it runs) from the calls the body makes (they are recorded, as its children); a workflow keeps
 * here where its replay is: the next step, the next child, the children not yet recorded.
 */
final class Execution {

    private static final ThreadLocal<Execution> CURRENT = new ThreadLocal<>();

    final FunctionCatalog.Function function;
    final String callId;
    private boolean entered;

    // A workflow's replay.
    final Map<Integer, CallStore.RecordedStep> steps;
    private int stepSeq;
    private int childSeq;
    int childrenStarted;
    final List<CallStore.NewCall> pending = new ArrayList<>();

    private Execution(FunctionCatalog.Function function, String callId, CallStore.WorkflowState state) {
        this.function = function;
        this.callId = callId;
        this.steps = state == null ? Map.of() : new java.util.HashMap<>(state.steps());
        this.childrenStarted = state == null ? 0 : state.childrenStarted();
    }

    static Execution of(FunctionCatalog.Function function, String callId, CallStore.WorkflowState state) {
        return new Execution(function, callId, state);
    }

    static Execution current() {
        return CURRENT.get();
    }

    static Execution enter(Execution execution) {
        Execution previous = CURRENT.get();
        CURRENT.set(execution);
        return previous;
    }

    static void leave(Execution previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
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

    int nextStep() {
        return ++stepSeq;
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
}
