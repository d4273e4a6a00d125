package dev.errand.internal.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Call;
import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.WireContract;
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
 * </ul>
 */
@ApplicationScoped
public class CallStarter {

    private final CallStore store;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final WorkflowsConfig config;

    public CallStarter(CallStore store, Outbox outbox, ObjectMapper mapper, WorkflowsConfig config) {
        this.store = store;
        this.outbox = outbox;
        this.mapper = mapper;
        this.config = config;
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
        QuarkusTransaction.joiningExisting().run(() -> record(List.of(call)));
        return Call.of(call.id());
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
            record(calls);
            return true;
        });
        workflow.pending.clear();
        if (!recorded) {
            workflow.stopped = true;
            throw WorkflowRuntime.cancelled(workflow);
        }
        workflow.childrenStarted = started;
    }

    private void record(List<CallStore.NewCall> calls) {
        for (CallStore.NewCall call : store.insert(calls)) {
            outbox.enqueue(message(call));
        }
    }

    /**
     * Only a reference: the worker reads the function, its arguments and its parent from the call's row,
     * so nothing on the message could change the call.
     */
    private static OutboundMessage message(CallStore.NewCall call) {
        return new OutboundMessage(FunctionSpec.queueOf(call.function()), call.id(), call.function(),
                call.parentId(), OutboundMessage.DEFAULT_PRIORITY, "{}", WireContract.CONTENT_TYPE, Map.of());
    }
}
