package dev.errand.internal.functions;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.OutsideSenders;
import dev.errand.PermanentFailure;
import dev.errand.Signals;
import dev.errand.Task;
import dev.errand.WireContract;
import dev.errand.internal.contract.SafeText;

/**
 * Takes the signals of AMQP clients outside the service ({@value WireContract#SIGNALS_QUEUE}) into the
 * workflows that declared them ({@code @DurableWorkflow(outsideSignals)}). The build makes it the handler of
 * that queue only in a service that has such a workflow; it runs as any handler does, once per message
 * id, in one transaction with its marker, so a signal is kept (with its workflow's wake-up) exactly when its
 * message is settled.
 * <p>
 * What the sender owns is its own namespace: the signal's id is {@code outside:<message-id>}, so it can
 * neither take the place of a signal the service sends (ids without that prefix) nor be taken for one. A
 * signal its workflow does not take from outside, to an unknown or finished workflow, is dead-lettered
 * ({@code permanent-failure}, saying which) and nothing is kept; so is one without a payload, which would
 * read as a timeout. A payload that does not read as its wait's
 * type is passed over by the wait ({@link WorkflowRuntime#awaitSignal}).
 */
@ApplicationScoped
public class OutsideSignalReceiver {

    /** Its channel, and so its consumer's name ({@code errand.consumers.errand-signals.*}). */
    public static final String CHANNEL = "errand-signals";

    private static final Logger LOG = Logger.getLogger(OutsideSignalReceiver.class);

    private final CallStore calls;
    private final FunctionCatalog catalog;
    private final WorkflowSignals signals;
    private final ObjectMapper mapper;

    OutsideSignalReceiver(CallStore calls, FunctionCatalog catalog, WorkflowSignals signals, ObjectMapper mapper) {
        this.calls = calls;
        this.catalog = catalog;
        this.signals = signals;
        this.mapper = mapper;
    }

    private FunctionSpec deployed(String function) {
        try {
            return catalog.byName(function).spec();
        } catch (IllegalArgumentException e) {
            return null; // a call of a function this service's code no longer has
        }
    }

    /** One outside signal, in its message's transaction. */
    @OutsideSenders
    public void receive(OutsideSignal signal, Task<OutsideSignal> task) {
        if (signal.payload() == null || signal.payload().isNull()) {
            // A wait that hears nothing has timed out: a sender may not end a wait as if it had.
            throw new PermanentFailure("payload is missing: a signal carries what its wait returns");
        }
        String callId = signal.workflow();
        Optional<CallStore.RecordedCall> workflow = calls.find(callId).filter(call -> call.call().workflow());
        if (workflow.isEmpty()) {
            throw new PermanentFailure("no workflow with id " + callId + ": signal " + signal.signal() + " refused");
        }
        String function = workflow.get().call().function();
        FunctionSpec spec = deployed(function);
        if (spec == null || !spec.takesOutsideSignal(signal.signal())) {
            throw new PermanentFailure("workflow " + callId + " (" + function + ") takes no signal \""
                    + signal.signal() + "\" from outside senders; its @DurableWorkflow(outsideSignals) names "
                    + (spec == null ? "none (it is no workflow of this service's code)" : spec.outsideSignals()));
        }
        String json;
        try {
            json = mapper.writeValueAsString(signal.payload());
        } catch (JsonProcessingException e) {
            throw new PermanentFailure("the payload of signal " + signal.signal() + " cannot be written as JSON: "
                    + e.getOriginalMessage());
        }
        String signalId = WireContract.OUTSIDE_ID_PREFIX + task.messageId();
        try {
            if (!signals.keep(workflow.get(), signal.signal(), signalId, json)) {
                LOG.debugf("Outside signal %s to workflow %s had been sent before: it counts once",
                        SafeText.forLog(signalId), SafeText.forLog(callId));
            }
        } catch (Signals.Refused refused) {
            throw new PermanentFailure(refused.getMessage());
        }
    }
}
