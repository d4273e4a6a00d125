package dev.errand.internal.functions;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Call;
import dev.errand.Errands;
import dev.errand.Task;
import dev.errand.TaskHandler;
import dev.errand.internal.contract.ContractViolation;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Runs durable calls: each function's generated {@code @Incoming} bean hands its messages here. A
 * call is a message like any handler's ({@link Errands#process}), so it runs once per call id, in one
 * transaction with its processed-message marker and its result, with the consumer's retries, dead
 * letters, breaker pause, rate limit and concurrency.
 */
@ApplicationScoped
public class FunctionWorker {

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
        List<JsonNode> given = task.payload().arguments() == null ? List.of() : task.payload().arguments();
        Object[] arguments = arguments(function, given);
        CallStore.NewCall call = new CallStore.NewCall(task.messageId(), function.name(), function.workflow(), null,
                json(given));
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
