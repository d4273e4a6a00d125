package dev.errand.it.functions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.OutsideSenders;
import dev.errand.Call;
import dev.errand.DurableCalls;
import dev.errand.DurableFunction;
import dev.errand.DurableWorkflow;
import dev.errand.PermanentFailure;
import dev.errand.Workflow;

/**
 * Durable functions and workflows for the tests, counting every run of their work (runs, not rows),
 * so that a test sees what ran again and what did not.
 */
@ApplicationScoped
public class TestFunctions {

    /** A function's result that is a record, read back as one. */
    public record Square(int n, long square) {
    }

    /** A workflow's summary of its children. */
    public record Summary(int succeeded, int failed, long sum) {
    }

    private final Workflow workflow;
    private final DurableCalls calls;
    private final Map<String, Integer> runs = new ConcurrentHashMap<>();
    private final Set<String> renamed = ConcurrentHashMap.newKeySet();

    public TestFunctions(Workflow workflow, DurableCalls calls) {
        this.workflow = workflow;
        this.calls = calls;
    }

    /** Fails permanently (dead-lettered at once) for a negative n. */
    // Started from outside too: examples/python/start_function.py.
    @OutsideSenders
    @DurableFunction(name = "test-square")
    public Call<Square> square(int n) {
        ran("square:" + n);
        if (n < 0) {
            throw new PermanentFailure("no square for a negative number: " + n);
        }
        return Call.returning(new Square(n, (long) n * n));
    }

    /** Three steps; a name starting with "crash" fails its first run of step c, after a and b are recorded. */
    @DurableWorkflow(name = "test-steps")
    public Call<String> steps(String name) {
        String a = workflow.step("a", String.class, key -> {
            ran(name + ":a");
            return "A";
        });
        String b = workflow.step("b", String.class, key -> {
            ran(name + ":b");
            return a + "B";
        });
        String c = workflow.step("c", String.class, key -> {
            if (ran(name + ":c") == 1 && name.startsWith("crash")) {
                throw new IllegalStateException("the worker died in step c");
            }
            return b + "C";
        });
        return Call.returning(c);
    }

    /** A step, a durable sleep, a step. */
    @DurableWorkflow(name = "test-sleeper")
    public Call<String> sleeper(String name, long sleepMillis) {
        return sleepBetweenSteps(name, sleepMillis);
    }

    /** {@link #sleeper} on a consumer that runs its waiting messages in batches (application.properties). */
    @DurableWorkflow(name = "test-batch-sleeper")
    public Call<String> batchSleeper(String name, long sleepMillis) {
        return sleepBetweenSteps(name, sleepMillis);
    }

    private Call<String> sleepBetweenSteps(String name, long sleepMillis) {
        workflow.step("before", String.class, key -> {
            ran(name + ":before");
            return "slept";
        });
        workflow.sleep(Duration.ofMillis(sleepMillis));
        String after = workflow.step("after", String.class, key -> {
            ran(name + ":after");
            return name + " woke";
        });
        return Call.returning(after);
    }

    /**
     * {@link #sleeper}, with a body that catches everything around its sleep and gives up: the run
     * still waits, and its "gave up" is never its result.
     */
    @DurableWorkflow(name = "test-swallowing-sleeper")
    public Call<String> swallowingSleeper(String name, long sleepMillis) {
        workflow.step("before", String.class, key -> {
            ran(name + ":before");
            return "slept";
        });
        try {
            workflow.sleep(Duration.ofMillis(sleepMillis));
        } catch (Throwable caught) {
            ran(name + ":caught");
            return Call.returning(name + " gave up");
        }
        String after = workflow.step("after", String.class, key -> {
            ran(name + ":after");
            return name + " woke";
        });
        return Call.returning(after);
    }

    /** {@link #sleeper}, with a body that turns the end of its run into a failure of its own. */
    @DurableWorkflow(name = "test-failing-sleeper")
    public Call<String> failingSleeper(String name, long sleepMillis) {
        workflow.step("before", String.class, key -> {
            ran(name + ":before");
            return "slept";
        });
        try {
            workflow.sleep(Duration.ofMillis(sleepMillis));
        } catch (Throwable caught) {
            ran(name + ":caught");
            throw new IllegalStateException("the body turned its wait into a failure");
        }
        String after = workflow.step("after", String.class, key -> {
            ran(name + ":after");
            return name + " woke";
        });
        return Call.returning(after);
    }

    /** Fans out to {@code children} squares, every {@code failEvery}th of them negative, and sums the results. */
    @DurableWorkflow(name = "test-fan")
    public Call<Summary> fan(int children, int failEvery) {
        List<Call<Square>> calls = new ArrayList<>();
        for (int i = 1; i <= children; i++) {
            calls.add(square(i % failEvery == 0 ? -i : i));
        }
        Workflow.Results<Square> results = workflow.awaitAll(calls, Square.class);
        long sum = results.succeeded().stream().mapToLong(Square::square).sum();
        Summary summary = workflow.step("summary", Summary.class, key -> {
            ran("fan-summary:" + workflow.id());
            return new Summary(results.succeeded().size(), results.failed().size(), sum);
        });
        return Call.returning(summary);
    }

    /**
     * Starts the square of {@code n} once under {@code key}, waits for it, and returns the id of the call
     * it got: the one it started, or the one another caller started under the key.
     */
    @DurableWorkflow(name = "test-keyed-parent")
    public Call<String> keyedParent(String key, int n) {
        Call<Square> child = calls.startOnce(key, () -> square(n));
        workflow.awaitAll(List.of(child), Square.class);
        return Call.returning(child.id());
    }

    /**
     * Names its first step by whether {@code name} was "renamed" meanwhile: a stand-in for code that
     * changed while the workflow slept.
     */
    @DurableWorkflow(name = "test-fickle")
    public Call<String> fickle(String name) {
        workflow.step(renamed.contains(name) ? "renamed" : "original", String.class, key -> "done");
        workflow.sleep(Duration.ofSeconds(3));
        return Call.returning("finished");
    }

    /** From now on, {@code fickle(name)} names its first step differently. */
    public void rename(String name) {
        renamed.add(name);
    }

    private int ran(String what) {
        return runs.merge(what, 1, Integer::sum);
    }

    /** Runs of the work named {@code what}. */
    public int runs(String what) {
        return runs.getOrDefault(what, 0);
    }
}
