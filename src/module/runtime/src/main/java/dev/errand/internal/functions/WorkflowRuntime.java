package dev.errand.internal.functions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.Outbox;
import dev.errand.OutsideTransaction;
import dev.errand.StepWork;
import dev.errand.WireContract;
import dev.errand.Workflow;
import dev.errand.internal.contract.SafeText;
import dev.errand.internal.steps.StepRecorder;
import dev.errand.internal.time.ErrandClock;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What {@link Workflow} does for the workflow running on this thread. Each step, sleep and wait takes
 * the next number of the workflow's replay; a recorded number returns its recorded result and runs
 * nothing, and a number recorded under another name means the code changed under the workflow.
 */
@ApplicationScoped
public class WorkflowRuntime {

    private static final Logger LOG = Logger.getLogger(WorkflowRuntime.class);

    /** How a patch gate's marker is named among the steps (what the versions listing looks for). */
    public static final String PATCH = "patch ";

    private final CallStore store;
    private final SignalStore signals;
    private final CallStarter starter;
    private final ObjectMapper mapper;
    private final OutsideTransaction outsideTransaction;
    private final Outbox outbox;
    private final WorkflowsConfig config;
    /** Errand's time: what a test skips ahead makes sleeps and signal timeouts due. */
    private final ErrandClock clock;

    public WorkflowRuntime(CallStore store, SignalStore signals, CallStarter starter, ObjectMapper mapper,
            OutsideTransaction outsideTransaction, Outbox outbox, WorkflowsConfig config, ErrandClock clock) {
        this.clock = clock;
        this.store = store;
        this.signals = signals;
        this.starter = starter;
        this.mapper = mapper;
        this.outsideTransaction = outsideTransaction;
        this.outbox = outbox;
        this.config = config;
    }

    public String id() {
        return current().callId;
    }

    public <T> T step(String name, JavaType type, StepWork<T> work) {
        return step(name, type, work, false);
    }

    public <T> T compensate(String name, JavaType type, StepWork<T> work) {
        return step(name, type, work, true);
    }

    private <T> T step(String name, JavaType type, StepWork<T> work, boolean compensation) {
        try {
            return runStep(name, type, work, compensation);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Workflow.StepFailed(name, e);
        }
    }

    private <T> T runStep(String name, JavaType type, StepWork<T> work, boolean compensation) throws Exception {
        Execution workflow = current();
        int seq = workflow.nextStep();
        StepRecorder.Numbered recorded = recorded(workflow, seq, name);
        if (recorded != null) {
            return mapper.readValue(recorded.result(), type);
        }
        if (!compensation) {
            refuseNewWork(workflow);
        }
        String key = workflow.callId + ":" + name;
        Callable<T> call = () -> work.run(key);
        Instant started = Instant.now();
        T value;
        try {
            value = outsideTransaction.call(call);
        } catch (Exception e) {
            // Counted for the step's history (its attempts, since when it fails), then thrown as before.
            failed(workflow, seq, name, started, e);
            throw e;
        }
        String json = mapper.writerFor(type).writeValueAsString(value);
        if (compensation) {
            recordCompensation(workflow, seq, name, json, started);
        } else {
            record(workflow, seq, name, json, started);
        }
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
            wakeUp = clock.instant().plus(duration);
            record(workflow, seq, name, wakeUp.toString());
        }
        if (clock.instant().isBefore(wakeUp)) {
            refuseNewWork(workflow);
            endRunUntil(workflow, name, wakeUp, null);
        }
    }

    /** A cancelled (or timed-out) workflow does no new work: the next thing it would do throws. */
    static void refuseNewWork(Execution workflow) {
        if (workflow.stopped) {
            throw cancelled(workflow);
        }
    }

    static Workflow.Cancelled cancelled(Execution workflow) {
        return new Workflow.Cancelled("workflow " + workflow.callId + " was cancelled or ran past its deadline");
    }

    public <T> Optional<T> awaitSignal(String name, JavaType type, Duration timeout) {
        Execution workflow = current();
        int waitSeq = workflow.nextStep();
        String wait = "await signal " + name;
        StepRecorder.Numbered started = recorded(workflow, waitSeq, wait);
        Instant deadline;
        if (started != null) {
            deadline = Instant.parse(started.result());
        } else {
            deadline = clock.instant().plus(timeout);
            record(workflow, waitSeq, wait, deadline.toString());
        }
        int seq = workflow.nextStep();
        String heard = "signal " + name;
        StepRecorder.Numbered recorded = recorded(workflow, seq, heard);
        if (recorded == null) {
            refuseNewWork(workflow);
            starter.flush(workflow);
            // The signal is taken and the step recorded together: a crash between them loses neither.
            String result = QuarkusTransaction.requiringNew().call(() -> {
                Optional<SignalStore.Taken> taken = signals.take(workflow.callId, name, seq);
                while (taken.isPresent() && !readable(taken.get(), type)) {
                    // An outside sender's payload that is not what this wait reads: passed over (left taken,
                    // so that a replay passes it over too), logged, and the wait goes on.
                    LOG.warnf("Workflow %s passes over signal %s (%s): its payload does not read as %s",
                            SafeText.forLog(workflow.callId), SafeText.forLog(taken.get().signalId()), name,
                            type.toCanonical());
                    taken = signals.take(workflow.callId, name, seq);
                }
                if (taken.isEmpty() && clock.instant().isBefore(deadline)) {
                    return null;
                }
                String json = taken.map(this::heard).orElse(TIMED_OUT);
                store.recordStep(workflow.callId, seq, heard, json, Instant.now());
                return json;
            });
            if (result == null) {
                // A signal sent from now on wakes the workflow; the timer ends the wait at its deadline.
                endRunUntil(workflow, wait, deadline, null);
            }
            recorded = new StepRecorder.Numbered(seq, heard, result);
            workflow.steps.put(seq, recorded);
        }
        try {
            JsonNode outcome = mapper.readTree(recorded.result());
            if (outcome.has("timedOut")) {
                return Optional.empty();
            }
            return Optional.ofNullable(mapper.readerFor(type).<T>readValue(outcome.get("payload")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("signal " + name + " of workflow " + workflow.callId + " does not read as "
                    + type.toCanonical(), e);
        }
    }

    private static final String TIMED_OUT = "{\"timedOut\":true}";

    /**
     * Whether a taken signal's payload reads as the wait's type. The service's own signals always do (a
     * mistake there is the service's, and fails the run loudly); an outside sender's must, and are not null.
     */
    private boolean readable(SignalStore.Taken taken, JavaType type) {
        if (!taken.signalId().startsWith(WireContract.OUTSIDE_ID_PREFIX)) {
            return true;
        }
        try {
            return taken.payload() != null && mapper.readerFor(type).readValue(taken.payload()) != null;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    private String heard(SignalStore.Taken taken) {
        try {
            ObjectNode node = mapper.createObjectNode();
            node.put("signal", taken.signalId());
            node.set("payload", taken.payload() == null ? null : mapper.readTree(taken.payload()));
            return mapper.writeValueAsString(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("signal " + taken.signalId() + " is not JSON", e);
        }
    }

    public <R> Workflow.Results<R> awaitAll(List<Call<R>> calls, JavaType type) {
        Execution workflow = current();
        starter.flush(workflow);
        int seq = workflow.nextStep();
        String name = "await " + calls.size();
        StepRecorder.Numbered recorded = recorded(workflow, seq, name);
        List<String> ids = calls.stream().map(Call::id).toList();
        // Counted while it waits; the results are read once, when all are in. The last child to end wakes
        // it; the poll is only a safety net.
        if (recorded == null && QuarkusTransaction.requiringNew().call(() -> store.finished(ids)) < ids.size()) {
            refuseNewWork(workflow);
            endRunUntil(workflow, name, clock.instant().plus(config.pollInterval()),
                    () -> ids.size() - store.finished(ids));
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
        record(workflow, seq, name, result, Instant.now());
    }

    private void record(Execution workflow, int seq, String name, String result, Instant started) {
        starter.flush(workflow);
        boolean going = QuarkusTransaction.requiringNew()
                .call(() -> store.recordStep(workflow.callId, seq, name, result, started));
        workflow.steps.put(seq, new StepRecorder.Numbered(seq, name, result));
        if (!going && !workflow.stopped) {
            // Cancelled while this step ran: the step is done and recorded, and the workflow stops here.
            workflow.stopped = true;
            throw cancelled(workflow);
        }
    }

    /** Keeps the attempt's failure on the call's row; a failure to keep it must not hide the step's own. */
    private void failed(Execution workflow, int seq, String name, Instant started, Exception error) {
        String text = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        // Stored as text: what PostgreSQL refuses (a NUL) goes, and a cut never splits a surrogate pair.
        String safe = SafeText.of(text);
        String shown = safe.length() > 1000 ? safe.substring(0, Character.isHighSurrogate(safe.charAt(999)) ? 999 : 1000)
                : safe;
        try {
            QuarkusTransaction.requiringNew().run(() -> store.stepFailed(workflow.callId, seq, name, started, shown));
        } catch (RuntimeException e) {
            error.addSuppressed(e);
        }
    }

    private void recordCompensation(Execution workflow, int seq, String name, String result, Instant started) {
        if (!QuarkusTransaction.requiringNew()
                .call(() -> store.recordCompensation(workflow.callId, seq, name, result, started))) {
            // Restarted while this compensation ran: the new attempt's run takes over; this one ends here.
            throw cancelled(workflow);
        }
        workflow.steps.put(seq, new StepRecorder.Numbered(seq, name, result));
    }

    /**
     * Ends this run: its own transaction records the wait, with the next wait number and a timer for
     * that number due at {@code wakeAt} (through the outbox), and commits with the run's marker. What
     * ends the wait sooner (a signal, the last child) writes a wake-up; the timer of a wait that is over
     * runs nothing. No thread waits meanwhile.
     *
     * @param unfinished the awaited children not finished yet, counted under the workflow's row lock; the
     *                   run goes on (returns) when none is left
     */
    private void endRunUntil(Execution workflow, String step, Instant until, LongSupplier unfinished) {
        starter.flush(workflow);
        // Its timer comes by its deadline at the latest, when the run that it starts times it out.
        Instant wakeAt = workflow.deadline != null && workflow.deadline.isBefore(until) ? workflow.deadline : until;
        CallStore.Wait wait = QuarkusTransaction.joiningExisting().call(() -> {
            CallStore.Wait recorded = store.waiting(workflow.callId, step, wakeAt, unfinished);
            if (!recorded.stopped()) {
                outbox.enqueue(ResumeMessage.timer(workflow.callId, workflow.function.name(), recorded.seq(),
                        recorded.at()));
            }
            return recorded;
        });
        if (wait.stopped()) {
            // Cancelled meanwhile, and this transaction holds the workflow's row: the run ends here, and the
            // timer its cancellation wrote runs its compensation (which records steps, on that row).
            workflow.waitUntil(clock.instant());
            throw workflow.unwind();
        }
        workflow.waitUntil(wait.at());
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
