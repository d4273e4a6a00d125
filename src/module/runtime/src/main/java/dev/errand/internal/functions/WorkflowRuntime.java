package dev.errand.internal.functions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.OutsideTransaction;
import dev.errand.StepWork;
import dev.errand.Workflow;
import dev.errand.internal.steps.StepRecorder;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What {@link Workflow} does for the workflow running on this thread. Each step, sleep and wait takes
 * the next number of the workflow's replay; a recorded number returns its recorded result and runs
 * nothing, and a number recorded under another name means the code changed under the workflow.
 */
@ApplicationScoped
public class WorkflowRuntime {

    /** How a patch gate's marker is named among the steps (what the versions listing looks for). */
    public static final String PATCH = "patch ";

    private final CallStore store;
    private final CallStarter starter;
    private final ObjectMapper mapper;
    private final OutsideTransaction outsideTransaction;
    private final WorkflowsConfig config;

    public WorkflowRuntime(CallStore store, CallStarter starter, ObjectMapper mapper,
            OutsideTransaction outsideTransaction, WorkflowsConfig config) {
        this.store = store;
        this.starter = starter;
        this.mapper = mapper;
        this.outsideTransaction = outsideTransaction;
        this.config = config;
    }

    public String id() {
        return current().callId;
    }

    public <T> T step(String name, JavaType type, StepWork<T> work) {
        try {
            return runStep(name, type, work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Workflow.StepFailed(name, e);
        }
    }

    private <T> T runStep(String name, JavaType type, StepWork<T> work) throws Exception {
        Execution workflow = current();
        int seq = workflow.nextStep();
        StepRecorder.Numbered recorded = recorded(workflow, seq, name);
        if (recorded != null) {
            return mapper.readValue(recorded.result(), type);
        }
        String key = workflow.callId + ":" + name;
        Callable<T> call = () -> work.run(key);
        T value = outsideTransaction.call(call);
        String json = mapper.writerFor(type).writeValueAsString(value);
        record(workflow, seq, name, json);
        // Later steps get what a replay would give them, so the first run and a resumed one agree.
        return mapper.readValue(json, type);
    }

    public void sleep(Duration duration) {
        Execution workflow = current();
        int seq = workflow.nextStep();
        String name = "sleep " + duration;
        StepRecorder.Numbered recorded = recorded(workflow, seq, name);
        Instant wakeUp;
        if (recorded != null) {
            wakeUp = Instant.parse(recorded.result());
        } else {
            wakeUp = Instant.now().plus(duration);
            record(workflow, seq, name, wakeUp.toString());
        }
        Duration left = Duration.between(Instant.now(), wakeUp);
        if (!left.isNegative() && !left.isZero()) {
            endRunAndComeBack(workflow, name, left);
        }
    }

    public <R> Workflow.Results<R> awaitAll(List<Call<R>> calls, JavaType type) {
        Execution workflow = current();
        starter.flush(workflow);
        int seq = workflow.nextStep();
        String name = "await " + calls.size();
        StepRecorder.Numbered recorded = recorded(workflow, seq, name);
        List<String> ids = calls.stream().map(Call::id).toList();
        // Counted while it waits; the results are read once, when all are in.
        if (recorded == null && QuarkusTransaction.requiringNew().call(() -> store.finished(ids)) < ids.size()) {
            endRunAndComeBack(workflow, name, config.pollInterval());
        }
        Map<String, CallStore.Outcome> outcomes = QuarkusTransaction.requiringNew().call(() -> store.outcomes(ids));
        List<R> succeeded = new ArrayList<>();
        List<Workflow.Failure> failed = new ArrayList<>();
        for (String id : ids) {
            CallStore.Outcome outcome = outcomes.get(id);
            if (outcome != null && outcome.state() == CallStatus.State.SUCCEEDED) {
                succeeded.add(read(outcome.result(), type));
            } else {
                failed.add(new Workflow.Failure(id, outcome == null ? "no such call" : outcome.error()));
            }
        }
        if (recorded == null) {
            record(workflow, seq, name, "{\"succeeded\":" + succeeded.size() + ",\"failed\":" + failed.size() + "}");
        }
        return new Workflow.Results<>(succeeded, failed);
    }

    /**
     * A gate for a code change (see {@link Workflow#patched}): the marker recorded here means the new
     * code; another step recorded here, or children started past here, mean a run that went on under the
     * old code, and then the gate takes no number, so the old code's steps keep theirs.
     */
    public boolean patched(String change) {
        Execution workflow = current();
        String marker = marker(change);
        int seq = workflow.peekStep();
        StepRecorder.Numbered recorded = workflow.steps.get(seq);
        if (recorded == null ? workflow.childrenStartedPastHere() : !recorded.name().equals(marker)) {
            return false;
        }
        workflow.nextStep();
        if (recorded == null) {
            starter.flush(workflow);
            QuarkusTransaction.requiringNew().run(() -> store.recordMarker(workflow.callId, seq, marker));
            workflow.steps.put(seq, new StepRecorder.Numbered(seq, marker, null));
        }
        return true;
    }

    /** A gate whose old code is gone: a recorded marker is replayed, and none is recorded any more. */
    public void deprecatePatch(String change) {
        Execution workflow = current();
        StepRecorder.Numbered recorded = workflow.steps.get(workflow.peekStep());
        if (recorded != null && recorded.name().equals(marker(change))) {
            workflow.nextStep();
        }
    }

    private static String marker(String change) {
        if (change == null || change.isBlank()) {
            throw new IllegalArgumentException("a patch needs the name of its change");
        }
        return PATCH + change;
    }

    private <R> R read(String json, JavaType type) {
        try {
            return json == null ? null : mapper.readValue(json, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a child's result does not read as " + type.toCanonical(), e);
        }
    }

    /** The step recorded at this place of the replay, checked to be the one the code runs now. */
    private static StepRecorder.Numbered recorded(Execution workflow, int seq, String name) {
        StepRecorder.Numbered recorded = workflow.steps.get(seq);
        if (recorded != null && !recorded.name().equals(name)) {
            String gateGone = recorded.name().startsWith(PATCH)
                    ? " (the run took a patched() gate that the code no longer has: keep it until no run has it)"
                    : "";
            throw new NonDeterministicWorkflow("workflow " + workflow.callId + " (" + workflow.function.name()
                    + ") changed while it ran: its step " + seq + " was \"" + recorded.name() + "\" and is now \""
                    + name + "\"" + gateGone);
        }
        return recorded;
    }

    private void record(Execution workflow, int seq, String name, String result) {
        starter.flush(workflow);
        QuarkusTransaction.requiringNew().run(() -> store.recordStep(workflow.callId, seq, name, result));
        workflow.steps.put(seq, new StepRecorder.Numbered(seq, name, result));
    }

    /**
     * Ends this run: the run's own transaction records the wait and commits, and the call comes back
     * from the broker after {@code after}, holding no thread meanwhile.
     */
    private void endRunAndComeBack(Execution workflow, String step, Duration after) {
        starter.flush(workflow);
        QuarkusTransaction.joiningExisting().run(() -> store.waiting(workflow.callId, step));
        workflow.comeBackAfter(after);
        throw workflow.unwind();
    }

    private static Execution current() {
        Execution execution = Execution.current();
        if (execution == null || !execution.workflow()) {
            throw new IllegalStateException("Workflow is for the body of a @DurableWorkflow, on its worker");
        }
        if (execution.waiting()) {
            // The body caught the end of its run: nothing more of it runs until it comes back.
            throw execution.unwind();
        }
        return execution;
    }
}
