package dev.errand.internal.functions;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Call;
import dev.errand.Origin;
import dev.errand.PermanentFailure;
import dev.errand.Errands;
import dev.errand.Task;
import dev.errand.TaskHandler;
import dev.errand.internal.contract.ContractViolation;
import dev.errand.internal.contract.SafeText;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Runs durable calls: each function's generated {@code @Incoming} bean hands its messages here. A
 * call is a message like any handler's ({@link Errands#process}), so it runs once per call id, in one
 * transaction with its processed-message marker and its result, with the consumer's retries, dead
 * letters, breaker pause, rate limit and concurrency.
 */
@ApplicationScoped
public class FunctionWorker {

    private static final Logger LOG = Logger.getLogger(FunctionWorker.class);

    private final Errands errands;
    private final FunctionCatalog catalog;
    private final CallStore store;
    private final CallStarter starter;
    private final ObjectMapper mapper;
    private final Map<String, TaskHandler<CallRequest>> handlers = new ConcurrentHashMap<>();

    public FunctionWorker(Errands errands, FunctionCatalog catalog, CallStore store, CallStarter starter,
            ObjectMapper mapper) {
        this.errands = errands;
        this.catalog = catalog;
        this.store = store;
        this.starter = starter;
        this.mapper = mapper;
    }

    /** Called by the generated {@code @Incoming} method of function {@code name}. */
    public CompletionStage<Void> receive(String name, Message<?> message) {
        FunctionCatalog.Function function = catalog.byName(name);
        TaskHandler<CallRequest> handler = handlers.computeIfAbsent(name, any -> task -> run(function, task));
        return errands.process(function.channel(), message, CallRequest.class, handler);
    }

    private void run(FunctionCatalog.Function function, Task<CallRequest> task) throws Exception {
        CallStore.NewCall call = recorded(function, task);
        if (call == null) {
            return;
        }
        Object[] arguments = arguments(function, arguments(call));
        // A workflow's state is read, and it is marked RUNNING, where everyone sees it: its own
        // transaction rolls back each time it waits.
        CallStore.WorkflowState state = function.workflow()
                ? QuarkusTransaction.requiringNew().call(() -> store.resume(call))
                : null;
        Execution execution = Execution.of(function, task.messageId(), state);
        Execution previous = Execution.enter(execution);
        Object returned;
        try {
            returned = function.method().invoke(catalog.bean(function), arguments);
            if (function.workflow()) {
                starter.flush(execution);
            }
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            Execution.leave(previous);
        }
        Object value = returned instanceof Call<?> result ? result.returned() : null;
        store.succeeded(call, json(value));
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
    private CallStore.NewCall recorded(FunctionCatalog.Function function, Task<CallRequest> task) {
        Optional<CallStore.RecordedCall> row = store.find(task.messageId());
        if (row.isPresent() && !row.get().call().function().equals(function.name())) {
            throw new PermanentFailure("call " + task.messageId() + " is recorded for function "
                    + row.get().call().function() + ", not " + function.name());
        }
        if (task.origin() == Origin.SERVICE) {
            return row.map(CallStore.RecordedCall::call).orElseThrow(() -> new PermanentFailure(
                    "call " + task.messageId() + " has no record: no workflow or caller of this service started it"));
        }
        if (row.isPresent()) {
            if (row.get().origin() == Origin.OUTSIDE) {
                return row.get().call();
            }
            LOG.warnf("An outside sender sent call id %s, which this service recorded itself: ignored",
                    SafeText.forLog(task.messageId()));
            return null;
        }
        String reserved = reservedIdProblem(task.messageId());
        if (reserved != null) {
            throw new ContractViolation(reserved);
        }
        List<JsonNode> given = task.payload().arguments() == null ? List.of() : task.payload().arguments();
        arguments(function, given);
        CallStore.NewCall call = new CallStore.NewCall(task.messageId(), function.name(), function.workflow(), null,
                json(given));
        // Committed on its own: a workflow's own transaction rolls back each time it waits.
        if (!QuarkusTransaction.requiringNew().call(() -> store.insertOutside(call))) {
            return recorded(function, task);
        }
        return call;
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
