package dev.errand.it.functions;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Call;
import dev.errand.DurableFunction;
import dev.errand.DurableWorkflow;
import dev.errand.PermanentFailure;
import dev.errand.Workflow;

/**
 * Work that waits for hours, for the test kit's time skipping (TimeSkippingTest): a day's sleep, a day's
 * wait for an approval, a two-hour deadline, and a function whose retry the broker holds for six hours
 * ({@code errand.consumers.errand-functions-test-flaky.redelivery-delay}).
 */
@ApplicationScoped
public class LongWaitFunctions {

    private final Workflow workflow;
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    public LongWaitFunctions(Workflow workflow) {
        this.workflow = workflow;
    }

    @DurableWorkflow(name = "test-day-sleep")
    public Call<String> daySleep(String tag) {
        workflow.sleep(Duration.ofHours(24));
        return Call.returning("woke " + tag);
    }

    @DurableWorkflow(name = "test-day-approval")
    public Call<String> dayApproval(String tag) {
        Optional<String> by = workflow.awaitSignal("approval", String.class, Duration.ofHours(24));
        return Call.returning(by.map(who -> "approved by " + who).orElse("expired"));
    }

    /** Would wait a day for a signal that never comes; its deadline ends it after two hours. */
    @DurableWorkflow(name = "test-two-hour-deadline", timeout = "PT2H")
    public Call<String> twoHourDeadline(String tag) {
        workflow.awaitSignal("never", String.class, Duration.ofHours(24));
        return Call.returning("not timed out");
    }

    /** Fails its first attempt; the broker holds the retry six hours. */
    @DurableFunction(name = "test-flaky")
    public Call<String> flaky(String tag) {
        if (attempts.merge(tag, 1, Integer::sum) == 1) {
            throw new IllegalStateException("first attempt of " + tag + " fails");
        }
        return Call.returning("done " + tag);
    }

    /** Never works: dead-lettered at once. */
    @DurableFunction(name = "test-hopeless")
    public Call<String> hopeless(String tag) {
        throw new PermanentFailure("no way for " + tag);
    }

    public int attempts(String tag) {
        return attempts.getOrDefault(tag, 0);
    }
}
