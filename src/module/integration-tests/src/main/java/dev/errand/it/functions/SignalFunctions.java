package dev.errand.it.functions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Call;
import dev.errand.DurableWorkflow;
import dev.errand.Workflow;

/** Workflows that wait for signals, counting the runs of their steps. */
@ApplicationScoped
public class SignalFunctions {

    /** What an approval signal carries. */
    public record Approval(boolean approved, String by) {
    }

    private final Workflow workflow;
    private final Map<String, Integer> runs = new ConcurrentHashMap<>();

    public SignalFunctions(Workflow workflow) {
        this.workflow = workflow;
    }

    /**
     * Sleeps {@code sleepMillis} (0: not at all), then waits {@code waits} times for an "approval", each
     * at most {@code timeoutMillis}, and lists what each wait got ("expired" for a timeout).
     */
    // Outside senders may send it "approval"; any other signal only the service's own code.
    @DurableWorkflow(name = "test-approval", outsideSignals = "approval")
    public Call<String> approval(String tag, long sleepMillis, int waits, long timeoutMillis) {
        workflow.step("before", String.class, key -> ran(tag + ":before"));
        if (sleepMillis > 0) {
            workflow.sleep(Duration.ofMillis(sleepMillis));
        }
        List<String> heard = new ArrayList<>();
        for (int i = 0; i < waits; i++) {
            Optional<Approval> approval = workflow.awaitSignal("approval", Approval.class,
                    Duration.ofMillis(timeoutMillis));
            heard.add(approval.map(a -> (a.approved() ? "approved by " : "rejected by ") + a.by()).orElse("expired"));
        }
        String result = String.join(", ", heard);
        workflow.step("after", String.class, key -> ran(tag + ":after"));
        return Call.returning(result);
    }

    private String ran(String what) {
        return String.valueOf(runs.merge(what, 1, Integer::sum));
    }

    /** Runs of the step named {@code what}. */
    public int runs(String what) {
        return runs.getOrDefault(what, 0);
    }
}
