package dev.errand.internal.functions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Call;
import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.WireContract;
import dev.errand.internal.time.ErrandClock;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Records durable calls: a row in {@code errand_call} and a message to the function's queue, through
 * the outbox, in one transaction.
 * <ul>
 * <li>From ordinary code, that is the caller's transaction, or one of its own when there is none:
 * a call made in a transaction that rolls back never runs.</li>
 * <li>From a workflow, the ids are the workflow's id and a counter, the same on every replay, and
 * the calls are recorded a batch at a time in transactions of their own, committed before the
 * workflow records its next step (which commits on its own). A replay finds them recorded and records
 * nothing.</li>
 * <li>Under a business key ({@link #startOnce}), in the caller's transaction: the key's unique index finds
 * a call already recorded under it, and then nothing is recorded.</li>
 * </ul>
 */
@ApplicationScoped
public class CallStarter {

    /**
     * The deadline {@code DurableCalls.startWithin} gives the calls its code starts on this thread; each is
     * recorded with it (or its parent's, when that comes first).
     */
    static final ThreadScope<Instant> DEADLINE = new ThreadScope<>();

    private final CallStore store;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final WorkflowsConfig config;
    private final FunctionCatalog catalog;
    private final ErrandClock clock;

    public CallStarter(CallStore store, Outbox outbox, ObjectMapper mapper, WorkflowsConfig config,
            FunctionCatalog catalog, ErrandClock clock) {
        this.clock = clock;
        this.store = store;
        this.outbox = outbox;
        this.mapper = mapper;
        this.config = config;
        this.catalog = catalog;
    }

    Call<?> start(FunctionCatalog.Function function, Object[] arguments) {
        String json;
        try {
            json = mapper.writeValueAsString(arguments);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the arguments of " + function.name() + " cannot be written as JSON", e);
        }
        Execution parent = Execution.current();
        if (parent != null && parent.waiting()) {
            // The body caught the end of its run: it starts nothing until it comes back.
            throw parent.unwind();
        }
        KeyedStart keyed = KeyedStart.take();
        Instant deadline = deadline(function.spec(), DEADLINE.current(), clock.instant());
        if (keyed != null) {
            return startKeyed(function, json, parent, keyed, deadline);
        }
        if (parent != null && parent.workflow()) {
            String id = parent.nextChildId();
            if (!parent.childRecorded()) {
                WorkflowRuntime.refuseNewWork(parent);
                parent.pending.add(new CallStore.NewCall(id, function.name(), function.workflow(), parent.callId, json));
                if (parent.pending.size() >= config.childBatch()) {
                    flush(parent);
                }
            }
            return Call.of(id);
        }
        CallStore.NewCall call = new CallStore.NewCall("call:" + UUID.randomUUID(), function.name(), function.workflow(),
                parent == null ? null : parent.callId, json);
        // Inside a function's body this is the worker's transaction: the child commits with its parent's result.
        QuarkusTransaction.joiningExisting().run(() -> record(List.of(call), deadline));
        return Call.of(call.id());
    }

    /**
     * Runs {@code start}, whose one durable call is recorded under {@code key} unless the function has a
     * call under it already; returns the handle of the call recorded under the key. In a workflow's code
     * the caller makes this a step ({@link StoredDurableCalls#startOnce}), so it runs here outside the
     * workflow's transaction, in one of its own.
     */
    <R> Call<R> startOnce(String key, Supplier<Call<R>> start) {
        KeyedStart previous = KeyedStart.current();
        KeyedStart keyed = KeyedStart.begin(key);
        try {
            start.get();
        } finally {
            KeyedStart.end(previous);
        }
        if (keyed.callId() == null) {
            throw new IllegalStateException("startOnce(\"" + key + "\", ...) made no durable call: its code must call"
                    + " one durable function or workflow through its bean");
        }
        return Call.of(keyed.callId());
    }

    /**
     * Its id is a fresh one, never the workflow's counter: a keyed start in a workflow is a step, which a
     * replay skips, so it must not move the numbering of the children.
     */
    private Call<?> startKeyed(FunctionCatalog.Function function, String json, Execution parent, KeyedStart keyed,
            Instant deadline) {
        CallStore.NewCall call = new CallStore.NewCall("call:" + UUID.randomUUID(), function.name(), function.workflow(),
                parent == null ? null : parent.callId, json, keyed.key);
        String id = QuarkusTransaction.joiningExisting().call(() -> {
            String recorded = store.insertKeyed(call, deadline);
            if (recorded.equals(call.id())) {
                outbox.enqueue(message(call));
            }
            return recorded;
        });
        keyed.started(id);
        return Call.of(id);
    }

    /** Records the children a workflow has started since its last flush. */
    void flush(Execution workflow) {
        if (workflow.pending.isEmpty()) {
            return;
        }
        List<CallStore.NewCall> calls = new ArrayList<>(workflow.pending);
        int started = workflow.childSeq();
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
            if (!store.childrenStarted(workflow.callId, started)) {
                // Cancelled meanwhile: its children are not recorded, and never run.
                return false;
            }
            // A workflow's children take its deadline (in the insert), or their own timeout's when sooner.
            record(calls, null);
            return true;
        });
        workflow.pending.clear();
        if (!recorded) {
            workflow.stopped = true;
            throw WorkflowRuntime.cancelled(workflow);
        }
        workflow.childrenStarted = started;
    }

    private void record(List<CallStore.NewCall> calls, Instant deadline) {
        for (CallStore.NewCall call : store.insert(calls,
                each -> deadline != null ? deadline : deadline(catalog.byName(each.function()).spec(), null, clock.instant()))) {
            outbox.enqueue(message(call));
        }
    }

    /**
     * When a call of this function must end: {@code given} (a {@code startWithin} deadline), or sooner by its
     * annotation's timeout from {@code now} (Errand's time).
     */
    /** Errand's time, which a test may skip ahead: a {@code startWithin} deadline counts from it. */
    Instant now() {
        return clock.instant();
    }

    static Instant deadline(FunctionSpec function, Instant given, Instant now) {
        if (function.timeout() == null) {
            return given;
        }
        Instant own = now.plus(function.timeout());
        return given == null || own.isBefore(given) ? own : given;
    }

    /**
     * Only a reference: the worker reads the function, its arguments and its parent from the call's row,
     * so nothing on the message could change the call. Its business key, if any, is there for whoever
     * reads the queue or its dead letters (signed, as every errand_ property); the row decides.
     */
    private static OutboundMessage message(CallStore.NewCall call) {
        return new OutboundMessage(FunctionSpec.queueOf(call.function()), call.id(), call.function(),
                call.parentId(), OutboundMessage.DEFAULT_PRIORITY, "{}", WireContract.CONTENT_TYPE,
                call.businessKey() == null ? Map.of() : Map.of(WireContract.BUSINESS_KEY, call.businessKey()));
    }
}
