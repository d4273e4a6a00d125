package dev.errand.it.functions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Call;
import dev.errand.DurableFunction;
import dev.errand.DurableWorkflow;
import dev.errand.PermanentFailure;
import dev.errand.Workflow;

/** Workflows to cancel, counting the runs of their work and of their compensation. */
@ApplicationScoped
public class CancelFunctions {

    private final Workflow workflow;
    private final Map<String, Integer> runs = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    public CancelFunctions(Workflow workflow) {
        this.workflow = workflow;
    }

    /**
     * Fans out to {@code children} children (none when 0, when it waits for a signal instead), then a
     * step; cancelled, it runs its compensation and stops.
     */
    @DurableWorkflow(name = "test-cancel-parent")
    public Call<String> parent(String tag, int children) {
        return parentBody(tag, children);
    }

    /** The same, with a timeout of 3 s on its annotation. */
    @DurableWorkflow(name = "test-timed-parent", timeout = "3s")
    public Call<String> timedParent(String tag, int children) {
        return parentBody(tag, children);
    }

    private Call<String> parentBody(String tag, int children) {
        try {
            workflow.step("before", String.class, key -> ran(tag + ":before"));
            if (children > 0) {
                List<Call<String>> calls = new ArrayList<>();
                for (int i = 0; i < children; i++) {
                    calls.add(child(tag, i));
                }
                workflow.awaitAll(calls, String.class);
            } else {
                workflow.awaitSignal("never", String.class, Duration.ofHours(1));
            }
            workflow.step("after", String.class, key -> ran(tag + ":after"));
            return Call.returning("finished");
        } catch (Workflow.Cancelled e) {
            workflow.compensate("undo", String.class, key -> ran(tag + ":undo"));
            throw e;
        }
    }

    /**
     * A step that holds until the test {@link #release}s it, then a second; cancelled, it compensates. A
     * cancellation while the first runs lets it finish and be recorded.
     */
    @DurableWorkflow(name = "test-cancel-slow")
    public Call<String> slow(String tag) {
        try {
            workflow.step("slow", String.class, key -> {
                ran(tag + ":slow-started");
                if (!gate(tag).await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released " + tag);
                }
                return ran(tag + ":slow");
            });
            workflow.step("after", String.class, key -> ran(tag + ":after"));
            return Call.returning("finished");
        } catch (Workflow.Cancelled e) {
            workflow.compensate("undo", String.class, key -> ran(tag + ":undo"));
            throw e;
        }
    }

    /** Lets {@link #slow}'s first step finish. */
    public void release(String tag) {
        gate(tag).countDown();
    }

    private CountDownLatch gate(String tag) {
        return gates.computeIfAbsent(tag, t -> new CountDownLatch(1));
    }

    /** Starts a child that fails, then waits an hour for a signal. */
    @DurableWorkflow(name = "test-cancel-failed-child-parent")
    public Call<String> parentOfAFailure(String tag) {
        workflow.awaitAll(List.of(failingChild(tag)), String.class);
        workflow.awaitSignal("never", String.class, Duration.ofHours(1));
        return Call.returning("finished");
    }

    @DurableFunction(name = "test-cancel-failing-child")
    public Call<String> failingChild(String tag) {
        ran(tag + ":failing-child");
        throw new PermanentFailure("this child always fails");
    }

    @DurableFunction(name = "test-cancel-child")
    public Call<String> child(String tag, int i) {
        ran(tag + ":child");
        return Call.returning(tag + ":" + i);
    }

    private String ran(String what) {
        return String.valueOf(runs.merge(what, 1, Integer::sum));
    }

    /** Runs of the work named {@code what}. */
    public int runs(String what) {
        return runs.getOrDefault(what, 0);
    }
}
