package dev.errand.deployment.devui;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.Call;
import dev.errand.DurableFunction;
import dev.errand.DurableSchedule;
import dev.errand.DurableWorkflow;
import dev.errand.PermanentFailure;
import dev.errand.Task;
import dev.errand.Workflow;

/** The Dev UI test's service: a handler, a workflow and a schedule, for each page to show. */
@ApplicationScoped
public class Greeter {

    public static final String CHANNEL = "greetings";

    /** Names whose first greeting was refused: the handler takes their next one (a replay). */
    private static final Set<String> REFUSED = ConcurrentHashMap.newKeySet();

    private final Workflow workflow;

    public Greeter(Workflow workflow) {
        this.workflow = workflow;
    }

    /** A name starting with "refuse" is dead-lettered the first time, and taken when replayed. */
    @Incoming(CHANNEL)
    void greet(Greeting greeting, Task<Greeting> task) {
        if (greeting.name().startsWith("refuse") && REFUSED.add(greeting.name())) {
            throw new PermanentFailure("not greeting " + greeting.name() + " yet");
        }
    }

    @DurableWorkflow(name = "welcome")
    public Call<String> welcome(String name) {
        String written = workflow.step("write", String.class, key -> "Hello " + name);
        String sent = workflow.step("send", String.class, key -> written + ", sent");
        return Call.returning(sent);
    }

    @DurableFunction(name = "tidy-up")
    @DurableSchedule(name = "tidy-up", every = "1h")
    public Call<String> tidyUp() {
        return Call.returning("tidy");
    }
}
