package dev.errand.internal.functions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.Origin;
import dev.errand.PermanentFailure;
import dev.errand.Task;
import dev.errand.Workflow;
import dev.errand.WireContract;
import dev.errand.internal.contract.ContractViolation;
import dev.errand.internal.contract.SafeText;
import dev.errand.internal.handling.MessageRun;
import dev.errand.internal.metrics.ErrandMetrics;
import dev.errand.internal.handling.RunOutcome;
import dev.errand.internal.time.ErrandClock;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Runs durable calls. Each function's generated bridge is its consumer's handler ({@link MessageRun}), as an annotated
 * handler's bridge is (so a call runs once per call id, in one transaction with its processed-message
 * marker and its result, with the consumer's retries, dead letters, breaker pause, rate limit and
 * concurrency), and hands each run here with itself as the {@link FunctionBody}, which calls the
 * method directly:
 * <pre>{@code
 * @Singleton
 * class CrmExport_ErrandFunction_sendUser implements MessageRun<CallRequest>, FunctionBody {
 *     @Inject ConsumerRegistry consumers;
 *     @Inject FunctionWorker worker;
 *     @Inject CrmExport target;
 *     FunctionCatalog.Function function;
 *     Consumer consumer;
 *     @PostConstruct void init() { function = worker.function("export-user"); }
 *     @Incoming("errand-functions-export-user")
 *     public CompletionStage<Void> receive(Message<?> message) {
 *         Consumer held = consumer;
 *         if (held == null) consumer = held = consumers.consumer("errand-functions-export-user");
 *         return held.take(message, CallRequest.class, this);
 *     }
 *     public RunOutcome run(Task<CallRequest> task) { return worker.run(function, task, this); }
 *     public Call<?> call(Object[] arguments) { return target.sendUser((Long) arguments[0]); }
 * }
 * }</pre>
 */
@ApplicationScoped
public class FunctionWorker {

    private static final Logger LOG = Logger.getLogger(FunctionWorker.class);

    /** How soon a message of a workflow that another message runs now looks again. */
    private static final Duration BUSY_RETRY = Duration.ofSeconds(1);
    /** The longest an early timer is held before it is looked at again. */
    private static final Duration MAX_HOLD = Duration.ofMinutes(1);

    private final FunctionCatalog catalog;
    private final CallStore store;
    private final CallStarter starter;
    private final ObjectMapper mapper;
    private final RunLock runLock;
    private final ParentWakeups wakeups;
    private final ErrandMetrics metrics;
    private final Cancellations cancellations;
    private final ErrandClock clock;

    public FunctionWorker(FunctionCatalog catalog, CallStore store, CallStarter starter, ObjectMapper mapper,
            RunLock runLock, ParentWakeups wakeups, ErrandMetrics metrics, Cancellations cancellations,
            ErrandClock clock) {
        this.clock = clock;
        this.cancellations = cancellations;
        this.metrics = metrics;
        this.catalog = catalog;
        this.store = store;
        this.starter = starter;
        this.mapper = mapper;
        this.runLock = runLock;
        this.wakeups = wakeups;
    }

    /** The function a bridge runs, looked up once, when the bridge is made. */
    public FunctionCatalog.Function function(String name) {
        return catalog.byName(name);
    }

    /**
     * One run of a call, in its message's transaction: the body runs and its result is recorded, or
     * the run of a workflow that waits returns {@link RunOutcome#comeBackAfter} and its transaction
     * commits what it recorded.
     */
    public RunOutcome run(FunctionCatalog.Function function, Task<CallRequest> task, FunctionBody body)
            throws Exception {
        ResumeMessage message = task.origin() == Origin.SERVICE ? ResumeMessage.of(task.messageId())
                : ResumeMessage.start(task.messageId());
        if (function.workflow() && !runLock.tryLock(message.callId())) {
            // Another message of this workflow runs it now; this one looks again in a moment.
            return RunOutcome.comeBackAfter(BUSY_RETRY);
        }
        Optional<CallStore.RecordedCall> row = store.find(message.callId());
        if (row.isEmpty() && message.kind() != ResumeMessage.Kind.START) {
            // A timer or wake-up of a call retention has removed since: nothing to resume.
            return RunOutcome.DONE;
        }
        if (row.isPresent() && row.get().pastDeadline(clock.instant())) {
            // Past its deadline: it ends as if cancelled, with the calls under it (a workflow that had started
            // runs once more, for its compensation); in this run's transaction.
            cancellations.end(message.callId(), "deadline", CallStatus.State.TIMED_OUT);
            return RunOutcome.DONE;
        }
        if (function.workflow() && row.isPresent()) {
            RunOutcome skip = skip(message, task.messageId(), row.get(), clock.instant());
            if (skip != null) {
                return skip;
            }
        }
        CallStore.NewCall call = recorded(function, task, message.callId(), row);
        if (call == null) {
            return RunOutcome.DONE;
        }
        Object[] arguments = arguments(function, arguments(call));
        // A workflow's state is read, and it is marked RUNNING, where everyone sees it at once: its own
        // transaction commits only when the run ends.
        CallStore.WorkflowState state = function.workflow()
                ? QuarkusTransaction.requiringNew().call(() -> store.resume(call))
                : null;
        if (function.workflow()) {
            metrics.workflowRun(function.name());
        }
        Execution execution = Execution.of(function, call.id(), state);
        Execution previous = Execution.enter(execution);
        Call<?> returned;
        try {
            returned = body.call(arguments);
        } catch (Throwable thrown) {
            // The one place a run's end is caught. A run that waits ends as one, however the body let
            // the end of its run out (as it was, wrapped, or as another failure): its wait and its timer
            // commit with this message's marker. A cancelled workflow's run ends with its cancellation.
            if (execution.waiting() || execution.stopped && cancellation(thrown)) {
                return RunOutcome.DONE;
            }
            throw thrown;
        } finally {
            Execution.leave(previous);
        }
        if (execution.waiting() || execution.stopped) {
            // The body caught the end of its run and returned: it still waits, or stays cancelled.
            return RunOutcome.DONE;
        }
        if (function.workflow()) {
            starter.flush(execution);
        }
        Object value = returned == null ? null : returned.returned();
        store.succeeded(call, json(value));
        if (call.parentId() != null) {
            wakeups.ended(call.id());
        }
        return RunOutcome.DONE;
    }

    private static boolean cancellation(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof Workflow.Cancelled) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this message of a recorded workflow runs it: null when it does, else how its message ends.
     * A timer runs only its own wait, once due; a wake-up runs a workflow that has started; a failed
     * workflow runs again only from its dead letter's replay.
     */
    private static RunOutcome skip(ResumeMessage message, String messageId, CallStore.RecordedCall row,
            Instant now) {
        if (row.succeeded()) {
            return RunOutcome.DONE;
        }
        if (row.state().stopped()) {
            // Cancelled: only the timer its cancellation wrote runs it, once, for its compensation.
            boolean compensation = message.kind() == ResumeMessage.Kind.TIMER && message.waitSeq() == row.waitSeq();
            return compensation ? null : RunOutcome.DONE;
        }
        if (row.state() == CallStatus.State.FAILED) {
            boolean replay = messageId.equals(row.failedBy())
                    || row.failedBy() == null && message.kind() == ResumeMessage.Kind.START;
            return replay ? null : RunOutcome.DONE;
        }
        if (message.kind() == ResumeMessage.Kind.TIMER) {
            if (message.waitSeq() != row.waitSeq()) {
                return RunOutcome.DONE;
            }
            if (row.wakeAt() != null && row.wakeAt().isAfter(now)) {
                // Early: a broker without scheduled delivery (RabbitMQ) hands timers over at once. Held a
                // minute at a time, so that one whose wait ended meanwhile (a signal came) lets go soon.
                Duration left = Duration.between(now, row.wakeAt());
                return RunOutcome.comeBackAfter(left.compareTo(MAX_HOLD) < 0 ? left : MAX_HOLD);
            }
        }
        if (message.kind() == ResumeMessage.Kind.WAKE && row.state() == CallStatus.State.PENDING) {
            // Its start is on the way, and will see what woke it.
            return RunOutcome.DONE;
        }
        return null;
    }

    /**
     * The call to run, as recorded: its message is only a reference, so a forged message for a recorded
     * id changes nothing. The service's own message must have its row (its parent recorded it, in the
     * same transaction as the message). A message from outside (its function takes outside starts, or
     * it would not be here) starts a call of its own, recorded as {@code outside}; for an id the
     * service recorded it does nothing at all.
     *
     * @return null when there is nothing to run
     */
    private CallStore.NewCall recorded(FunctionCatalog.Function function, Task<CallRequest> task, String callId,
            Optional<CallStore.RecordedCall> row) {
        if (row.isPresent() && !row.get().call().function().equals(function.name())) {
            throw new PermanentFailure("call " + callId + " is recorded for function "
                    + row.get().call().function() + ", not " + function.name());
        }
        if (row.isPresent() && row.get().state().stopped() && !function.workflow()) {
            // Cancelled before it ran (its parent was, or it was): it never runs.
            return null;
        }
        if (row.isPresent() && row.get().succeeded()) {
            // A late copy of its message (its marker may be gone by now, errand.retention): nothing to do.
            LOG.debugf("Durable call %s has succeeded already; its message is settled", SafeText.forLog(callId));
            return null;
        }
        if (task.origin() == Origin.SERVICE) {
            return row.map(CallStore.RecordedCall::call).orElseThrow(() -> new PermanentFailure(
                    "call " + callId + " has no record: no workflow or caller of this service started it"));
        }
        if (row.isPresent()) {
            if (row.get().origin() == Origin.OUTSIDE) {
                return row.get().call();
            }
            LOG.warnf("An outside sender sent call id %s, which this service recorded itself: ignored",
                    SafeText.forLog(callId));
            return null;
        }
        String reserved = reservedIdProblem(callId);
        if (reserved != null) {
            throw new ContractViolation(reserved);
        }
        String key = outsideBusinessKey(task.payload().businessKey());
        List<JsonNode> given = task.payload().arguments() == null ? List.of() : task.payload().arguments();
        arguments(function, given);
        CallStore.NewCall call = new CallStore.NewCall(callId, function.name(), function.workflow(), null,
                json(given), key);
        // Committed on its own: it stays recorded when this run fails and rolls its own transaction back.
        if (!QuarkusTransaction.requiringNew().call(() -> store.insertOutside(call, CallStarter.deadline(function.spec(), null, clock.instant())))) {
            if (key == null || store.find(callId).isPresent()) {
                return recorded(function, task, callId, store.find(callId));
            }
            // A repeated outside start: its key is the call of an earlier message, which runs (or ran) once.
            LOG.debugf("An outside start %s asks for business key %s of %s, which a call has already: nothing runs",
                    SafeText.forLog(task.messageId()), SafeText.forLog(key), function.name());
            return null;
        }
        return call;
    }

    /**
     * An outside start's business key, kept under {@code outside:}: an outside sender can neither take a key
     * the service will start under nor reach a call the service started under one.
     */
    private static String outsideBusinessKey(String given) {
        if (given == null) {
            return null;
        }
        String problem = KeyedStart.problem(given);
        if (problem != null) {
            throw new ContractViolation(WireContract.BUSINESS_KEY + ": " + problem);
        }
        return WireContract.OUTSIDE_ID_PREFIX + given;
    }

    /**
     * Ids the service gives its own calls: a child's ({@code <parent>/<n>}) and a caller's
     * ({@code call:<uuid>}). An outside start may not take one before the service does.
     */
    public static String reservedIdProblem(String id) {
        if (id.contains("/") || id.startsWith("call:")) {
            return "call id " + id + " is reserved for the service's own calls: an outside start may not contain"
                    + " '/' nor begin with 'call:'";
        }
        return null;
    }

    private List<JsonNode> arguments(CallStore.NewCall call) {
        try {
            JsonNode node = call.arguments() == null ? null : mapper.readTree(call.arguments());
            List<JsonNode> given = new java.util.ArrayList<>();
            if (node != null) {
                node.forEach(given::add);
            }
            return given;
        } catch (JsonProcessingException e) {
            throw new PermanentFailure("the recorded arguments of call " + call.id() + " are not JSON");
        }
    }

    private Object[] arguments(FunctionCatalog.Function function, List<JsonNode> given) {
        int expected = function.parameters().length;
        if (given.size() != expected) {
            throw new ContractViolation("function " + function.name() + " takes " + expected + " argument(s), the call"
                    + " has " + given.size());
        }
        Object[] arguments = new Object[expected];
        for (int i = 0; i < expected; i++) {
            try {
                arguments[i] = mapper.readerFor(function.parameters()[i]).readValue(given.get(i));
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new ContractViolation("argument " + (i + 1) + " of function " + function.name() + " is not a "
                        + function.parameters()[i].toCanonical() + ": " + e.getMessage());
            }
        }
        return arguments;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a durable call's JSON could not be written", e);
        }
    }
}
