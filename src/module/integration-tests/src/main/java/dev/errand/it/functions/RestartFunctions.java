package dev.errand.it.functions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Call;
import dev.errand.DurableFunction;
import dev.errand.DurableWorkflow;
import dev.errand.PermanentFailure;
import dev.errand.Workflow;

/**
 * Workflows whose third step fails for good until the test "deploys a fix", counting the runs of every
 * step, so that a test sees which steps a restart ran again.
 */
@ApplicationScoped
public class RestartFunctions {

    private final Workflow workflow;
    private final Map<String, Integer> runs = new ConcurrentHashMap<>();
    private final Set<String> fixed = ConcurrentHashMap.newKeySet();

    public RestartFunctions(Workflow workflow) {
        this.workflow = workflow;
    }

    /** Four steps: reserve, price, charge (fails until {@link #fix}), ship. */
    @DurableWorkflow(name = "test-order")
    public Call<String> order(String tag) {
        return Call.returning(orderSteps(tag));
    }

    /** {@link #order}, as another function: a bulk restart picks its runs by function. */
    @DurableWorkflow(name = "test-order-bulk")
    public Call<String> bulkOrder(String tag) {
        return Call.returning(orderSteps(tag));
    }

    /** A step, two children, a wait for them, then {@link #order}'s charge and ship. */
    @DurableWorkflow(name = "test-order-with-parcels")
    public Call<String> orderWithParcels(String tag) {
        workflow.step("plan", String.class, key -> ran(tag, "plan"));
        Workflow.Results<String> parcels = workflow.awaitAll(List.of(parcel(tag + ":1"), parcel(tag + ":2")),
                String.class);
        workflow.step("charge", String.class, key -> charge(tag));
        workflow.step("ship", String.class, key -> ran(tag, "ship"));
        return Call.returning(String.join("+", parcels.succeeded()));
    }

    /** A step, a wait for an "approval" signal (an hour at most), then {@link #order}'s charge. */
    @DurableWorkflow(name = "test-order-with-approval")
    public Call<String> orderWithApproval(String tag) {
        workflow.step("reserve", String.class, key -> ran(tag, "reserve"));
        String approval = workflow.awaitSignal("approval", String.class, Duration.ofHours(1)).orElse("expired");
        workflow.step("charge", String.class, key -> charge(tag));
        return Call.returning("approved by " + approval);
    }

    /** A child of {@link #orderWithParcels}, counting its runs. */
    @DurableFunction(name = "test-parcel")
    public Call<String> parcel(String name) {
        ran(name, "parcel");
        return Call.returning("parcel " + name);
    }

    private String orderSteps(String tag) {
        String reserved = workflow.step("reserve", String.class, key -> ran(tag, "reserve"));
        String priced = workflow.step("price", String.class, key -> ran(tag, "price"));
        String charged = workflow.step("charge", String.class, key -> charge(tag));
        String shipped = workflow.step("ship", String.class, key -> ran(tag, "ship"));
        return String.join(",", reserved, priced, charged, shipped);
    }

    private String charge(String tag) {
        String run = ran(tag, "charge");
        if (!fixed.contains(tag)) {
            throw new PermanentFailure("the card was declined (" + run + ")");
        }
        return run;
    }

    /** A stand-in for deploying a fix: from now on, the charge of {@code tag} succeeds. */
    public void fix(String tag) {
        fixed.add(tag);
    }

    /** Records a run of a step; its result is the run's number ("reserve 1"). */
    private String ran(String tag, String step) {
        return step + " " + runs.merge(tag + ":" + step, 1, Integer::sum);
    }

    /** Runs of {@code step} for {@code tag}. */
    public int runs(String tag, String step) {
        return runs.getOrDefault(tag + ":" + step, 0);
    }
}
