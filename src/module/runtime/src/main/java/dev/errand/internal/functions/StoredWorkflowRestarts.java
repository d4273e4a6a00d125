package dev.errand.internal.functions;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.errand.CallStatus;
import dev.errand.Outbox;
import dev.errand.WorkflowRestarts;
import dev.errand.internal.contract.SafeText;
import dev.errand.internal.deadletter.DeadLetterRepository;
import dev.errand.internal.steps.StepRecorder;
import dev.errand.internal.time.ErrandClock;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.TransactionExceptionResult;

/**
 * {@link WorkflowRestarts}: a restart puts a failed workflow back where a wake-up runs it ({@code WAITING}),
 * without the steps it is to run again, and writes that wake-up, in one transaction under the call's row
 * lock. The worker then runs it as any woken workflow: the recorded steps replay, the others run.
 * <p>
 * What a restart keeps: the call's id, arguments and children. A child is numbered by the order the
 * code starts it ({@code <id>/<n>}), and recorded once: the run after a restart starts the same children
 * under the same numbers, finds them recorded and starts none again; their outcomes stand (a failed
 * child is restarted, or its dead letter replayed, on its own). The signals that the forgotten steps had
 * taken are given back, so the waits that run again take them again.
 */
@ApplicationScoped
public class StoredWorkflowRestarts implements WorkflowRestarts {

    private static final Logger LOG = Logger.getLogger(StoredWorkflowRestarts.class);

    /**
     * The states a restart takes a workflow from: failed, or stopped (cancelled, timed out), whose compensation
     * the restart forgets.
     */
    static final Set<CallStatus.State> RESTARTABLE = EnumSet.of(CallStatus.State.FAILED, CallStatus.State.CANCELLED,
            CallStatus.State.TIMED_OUT);

    /** How many failed runs a bulk restart reads at a time; each restart commits on its own. */
    private static final int PAGE = 100;

    private final RestartStore restarts;
    private final StepRecorder steps;
    private final SignalStore signals;
    private final FunctionCatalog catalog;
    private final DeadLetterRepository deadLetters;
    private final Outbox outbox;
    private final ErrandClock clock;

    StoredWorkflowRestarts(RestartStore restarts, StepRecorder steps, SignalStore signals, FunctionCatalog catalog,
            DeadLetterRepository deadLetters, Outbox outbox, ErrandClock clock) {
        this.clock = clock;
        this.restarts = restarts;
        this.steps = steps;
        this.signals = signals;
        this.catalog = catalog;
        this.deadLetters = deadLetters;
        this.outbox = outbox;
    }

    @Override
    public Attempt restart(String callId, String fromStep, String by) {
        if (callId == null || callId.isBlank()) {
            throw new Refused(Refused.Reason.NO_SUCH_WORKFLOW, "no workflow with a blank id");
        }
        if (fromStep != null && (fromStep.isBlank() || fromStep.length() > MAX_STEP_NAME)) {
            throw new Refused(Refused.Reason.NO_SUCH_STEP, "a step to restart from is named by 1 to "
                    + MAX_STEP_NAME + " characters; leave it out to restart from the step that failed");
        }
        // A refusal changed nothing: it leaves a caller's transaction free to commit its own work.
        return QuarkusTransaction.joiningExisting()
                .exceptionHandler(e -> e instanceof Refused ? TransactionExceptionResult.COMMIT
                        : TransactionExceptionResult.ROLLBACK)
                .call(() -> restartLocked(callId, fromStep, by));
    }

    private Attempt restartLocked(String callId, String fromStep, String by) {
        RestartStore.Locked call = restarts.lock(callId).filter(RestartStore.Locked::workflow)
                .orElseThrow(() -> new Refused(Refused.Reason.NO_SUCH_WORKFLOW, "no workflow with id " + callId));
        if (!RESTARTABLE.contains(call.state())) {
            throw new Refused(Refused.Reason.NOT_FAILED, "workflow " + callId + " is " + call.state()
                    + ": only a " + RESTARTABLE + " workflow is restarted");
        }
        if (!deployed(call.function())) {
            throw new Refused(Refused.Reason.NOT_DEPLOYED, "workflow " + callId + " is a run of " + call.function()
                    + ", which is no workflow of this service's code: nothing would run it");
        }
        Map<Integer, StepRecorder.Numbered> recorded = steps.replay(callId);
        Integer afterStop = call.state().stopped() && fromStep == null ? restarts.firstCompensationStep(callId) : null;
        // A stopped workflow goes on from where it was stopped: its compensation is forgotten with what followed.
        int fromSeq = afterStop != null ? afterStop : fromSeq(callId, fromStep, recorded);
        steps.forget(callId, fromSeq);
        signals.untake(callId, fromSeq);
        int attempt = call.attempt() + 1;
        // A stopped workflow's deadline was its first attempts'; a new one has its annotation's timeout, if any.
        Instant deadline = CallStarter.deadline(catalog.byName(call.function()).spec(), null, clock.instant());
        Instant at = restarts.restart(callId, attempt,
                "restart from " + (fromStep == null ? "step " + fromSeq : fromStep), deadline);
        restarts.record(callId, attempt, fromSeq, fromStep, by, call.error());
        deadLetters.resolveRestarted(FunctionSpec.channelOf(call.function()), callId, call.origin().wireName());
        outbox.enqueue(ResumeMessage.wakeUp(callId, call.function(), "restart:" + attempt));
        LOG.infof("Workflow %s restarted from step %d%s by %s: attempt %d", SafeText.forLog(callId), fromSeq,
                fromStep == null ? "" : " (" + SafeText.forLog(fromStep) + ")", SafeText.forLog(by), attempt);
        return new Attempt(attempt, at, by, fromSeq, fromStep, null);
    }

    /**
     * Where the run starts again: the first step of that name, or, when none is named, the first number
     * not recorded (the step that failed: nothing is forgotten).
     */
    private static int fromSeq(String callId, String fromStep, Map<Integer, StepRecorder.Numbered> recorded) {
        if (fromStep == null) {
            int seq = 1;
            while (recorded.containsKey(seq)) {
                seq++;
            }
            return seq;
        }
        return recorded.values().stream().filter(step -> step.name().equals(fromStep))
                .min(Comparator.comparingInt(StepRecorder.Numbered::seq)).map(StepRecorder.Numbered::seq)
                .orElseThrow(() -> new Refused(Refused.Reason.NO_SUCH_STEP, "workflow " + callId
                        + " recorded no step named \"" + fromStep + "\"; its steps are " + names(recorded)));
    }

    private static List<String> names(Map<Integer, StepRecorder.Numbered> recorded) {
        return recorded.values().stream().sorted(Comparator.comparingInt(StepRecorder.Numbered::seq))
                .map(StepRecorder.Numbered::name).toList();
    }

    @Override
    public Bulk restartFailed(String function, Instant failedFrom, Instant failedTo, boolean dryRun, String by) {
        if (function == null || !deployed(function)) {
            throw new IllegalArgumentException("function names a workflow of this service; " + function + " is none");
        }
        if (failedFrom == null || failedTo == null || !failedFrom.isBefore(failedTo)) {
            throw new IllegalArgumentException("failedFrom must be before failedTo, was " + failedFrom + " and "
                    + failedTo);
        }
        // A run restarted here that fails again at once fails after this began: it is not taken again.
        Instant now = QuarkusTransaction.requiringNew().call(restarts::now);
        Instant until = failedTo.isAfter(now) ? now : failedTo;
        long matched = QuarkusTransaction.requiringNew().call(() -> restarts.countFailed(function, failedFrom, until));
        if (dryRun) {
            return new Bulk(function, failedFrom, failedTo, true, matched, 0);
        }
        long restarted = 0;
        RestartStore.Failed after = null;
        while (true) {
            RestartStore.Failed from = after;
            List<RestartStore.Failed> page = QuarkusTransaction.requiringNew()
                    .call(() -> restarts.failed(function, failedFrom, until, from, PAGE));
            for (RestartStore.Failed failed : page) {
                try {
                    QuarkusTransaction.requiringNew().call(() -> restartLocked(failed.id(), null, by));
                    restarted++;
                } catch (Refused e) {
                    // Changed since it was read (restarted, or its dead letter replayed): left as it is.
                    LOG.debugf("Bulk restart skipped %s: %s", SafeText.forLog(failed.id()), e.getMessage());
                }
            }
            if (page.size() < PAGE) {
                return new Bulk(function, failedFrom, failedTo, false, matched, restarted);
            }
            after = page.get(page.size() - 1);
        }
    }

    @Override
    public List<Attempt> attempts(String callId) {
        return QuarkusTransaction.joiningExisting().call(() -> restarts.attempts(callId));
    }

    private boolean deployed(String function) {
        return catalog.functions().stream().anyMatch(f -> f.workflow() && f.name().equals(function));
    }
}
