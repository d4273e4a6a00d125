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
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Set<String> declining = ConcurrentHashMap.newKeySet();

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
        ran("fan-body:" + workflow.id());
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

    /** The code of {@link #versioned} in its life cycle across a change: a stand-in for a deploy. */
    public enum Code {
        /** Charges without a fee. */
        OLD,
        /** Charges with a fee behind a {@code patched("fee")} gate, the old charge kept for old runs. */
        PATCHED,
        /** The gate deprecated: only the charge with a fee remains. */
        DEPRECATED,
        /** Charges with a fee, without any gate: a change that old runs cannot follow. */
        UNGATED
    }

    /**
     * An order: a step, the charge (whose code changes: {@link Code}), a wait for a child of
     * {@link #hold} before or after the charge, and a step. Each run reads the code its deployment has
     * now, as a redeployed service would run its new code; a deployment per test keeps the tests' code
     * apart.
     */
    @DurableWorkflow(name = "test-versioned")
    public Call<String> versioned(String deployment, String order, boolean waitBeforeCharge) {
        String name = deployment + "/" + order;
        Code code = codes.getOrDefault(deployment, Code.OLD);
        ran(name + ":run under " + code);
        workflow.step("order", String.class, key -> "ordered");
        if (waitBeforeCharge) {
            workflow.awaitAll(List.of(hold(name)), String.class);
        }
        String charged = switch (code) {
            case OLD -> charge(name);
            case PATCHED -> workflow.patched("fee") ? chargeWithFee(name) : charge(name);
            case DEPRECATED -> {
                workflow.deprecatePatch("fee");
                yield chargeWithFee(name);
            }
            case UNGATED -> chargeWithFee(name);
        };
        if (!waitBeforeCharge) {
            workflow.awaitAll(List.of(hold(name)), String.class);
        }
        workflow.step("ship", String.class, key -> {
            ran(name + ":ship");
            return "shipped";
        });
        return Call.returning(charged + ", shipped");
    }

    private String charge(String name) {
        return workflow.step("charge", String.class, key -> {
            ran(name + ":charge");
            return "charged";
        });
    }

    private String chargeWithFee(String name) {
        return workflow.step("charge with fee", String.class, key -> {
            ran(name + ":charge with fee");
            return "charged with a fee";
        });
    }

    /** What a {@link #versioned} workflow waits for: the test holds it by pausing this function's consumer. */
    @DurableFunction(name = "test-hold")
    public Call<String> hold(String name) {
        return Call.returning("released " + name);
    }

    /** A step, then a charge that throws for as long as the test has {@code decline(name)}d its card. */
    @DurableWorkflow(name = "test-stubborn")
    public Call<String> stubborn(String name) {
        workflow.step("reserve", String.class, key -> "reserved");
        String charged = workflow.step("charge", String.class, key -> {
            ran(name + ":charge");
            if (declining.contains(name)) {
                throw new IllegalStateException("card declined for " + name);
            }
            return "charged";
        });
        return Call.returning(charged);
    }

    /** {@code stubborn(name)}'s charge fails from now on, until {@link #accept}. */
    public void decline(String name) {
        declining.add(name);
    }

    public void accept(String name) {
        declining.remove(name);
    }

    /** Deploys {@code code} for {@code deployment}'s {@link #versioned} workflows, from their next run on. */
    public void deploy(String deployment, Code code) {
        codes.put(deployment, code);
    }

    private int ran(String what) {
        return runs.merge(what, 1, Integer::sum);
    }

    /** Runs of the work named {@code what}. */
    public int runs(String what) {
        return runs.getOrDefault(what, 0);
    }
}
