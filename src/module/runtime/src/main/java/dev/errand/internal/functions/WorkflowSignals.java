package dev.errand.internal.functions;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Outbox;
import dev.errand.Signals;
import dev.errand.WireContract;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** {@link Signals}: a row in {@code errand_signal} and the workflow's wake-up, in the caller's transaction. */
@ApplicationScoped
public class WorkflowSignals implements Signals {

    private final CallStore calls;
    private final SignalStore signals;
    private final Outbox outbox;
    private final ObjectMapper mapper;

    WorkflowSignals(CallStore calls, SignalStore signals, Outbox outbox, ObjectMapper mapper) {
        this.calls = calls;
        this.signals = signals;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    @Override
    public boolean send(String callId, String name, String signalId, Object payload) {
        check("call id", callId);
        check("signal name", name);
        check("signal id", signalId);
        if (signalId.startsWith(WireContract.OUTSIDE_ID_PREFIX)) {
            throw new IllegalArgumentException("signal id " + signalId + " begins with "
                    + WireContract.OUTSIDE_ID_PREFIX + ", which is kept for outside senders' signals");
        }
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the payload of signal " + name + " cannot be written as JSON", e);
        }
        return QuarkusTransaction.joiningExisting().call(() -> keep(callId, name, signalId, json));
    }

    /** Keeps a checked signal, and wakes its workflow, in the current transaction. */
    boolean keep(String callId, String name, String signalId, String json) {
        CallStore.RecordedCall workflow = calls.find(callId).filter(call -> call.call().workflow())
                .orElseThrow(() -> new Refused(Refused.Reason.NO_SUCH_WORKFLOW, "no workflow with id " + callId));
        return keep(workflow, name, signalId, json);
    }

    /** The same, for a workflow its caller has read already (in this transaction). */
    boolean keep(CallStore.RecordedCall workflow, String name, String signalId, String json) {
        String callId = workflow.call().id();
        if (workflow.state().finished()) {
            if (signals.sent(callId, signalId)) {
                // A repeat (a webhook delivered twice) is answered as one, even once the workflow has finished.
                return false;
            }
            throw new Refused(Refused.Reason.FINISHED, "workflow " + callId + " has finished ("
                    + workflow.state() + "): nothing would take signal " + name);
        }
        java.util.OptionalLong kept = signals.keep(callId, signalId, name, json);
        if (kept.isEmpty()) {
            return false;
        }
        outbox.enqueue(ResumeMessage.wakeUp(callId, workflow.call().function(), "signal:" + kept.getAsLong()));
        return true;
    }

    private static void check(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the " + what + " is longer than " + MAX_LENGTH + " characters");
        }
    }
}
