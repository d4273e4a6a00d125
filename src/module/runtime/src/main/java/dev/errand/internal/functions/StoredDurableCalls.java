package dev.errand.internal.functions;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.CallStep;
import dev.errand.DurableCalls;
import dev.errand.WorkflowVersions;
import dev.errand.Workflow;
import dev.errand.internal.steps.StepRecorder;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** {@link DurableCalls} from the call table; keyed starts through the {@link CallStarter}. */
@ApplicationScoped
public class StoredDurableCalls implements DurableCalls {

    private final CallStore store;
    private final RunsByVersion runsByVersion;
    private final FunctionCatalog catalog;
    private final CallStarter starter;
    private final Workflow workflow;
    private final ObjectMapper mapper;
    private final Cancellations cancellations;
    private final StepRecorder steps;

    StoredDurableCalls(CallStore store, RunsByVersion runsByVersion, FunctionCatalog catalog, ObjectMapper mapper,
            Cancellations cancellations, CallStarter starter, Workflow workflow, StepRecorder steps) {
        this.steps = steps;
        this.cancellations = cancellations;
        this.store = store;
        this.runsByVersion = runsByVersion;
        this.catalog = catalog;
        this.starter = starter;
        this.workflow = workflow;
        this.mapper = mapper;
    }

    @Override
    public <R> Call<R> startOnce(String businessKey, Supplier<Call<R>> start) {
        String problem = KeyedStart.serviceKeyProblem(businessKey);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Objects.requireNonNull(start, "start");
        Execution running = Execution.current();
        if (running != null && running.workflow()) {
            // A workflow's child is numbered, and a replay finds it by its number. A keyed start may get a
            // call that someone else recorded, so which call it got is recorded instead, as a step: a replay
            // returns the handle without looking the key up again. Should the run die between the start and
            // the step's record, the step runs again and the key finds the call it started.
            String id = workflow.step("start once " + businessKey, String.class,
                    key -> starter.startOnce(businessKey, start).id());
            return Call.of(id);
        }
        return starter.startOnce(businessKey, start);
    }

    @Override
    public Optional<CallStatus> byBusinessKey(String function, String businessKey) {
        if (function == null || businessKey == null) {
            return Optional.empty();
        }
        return QuarkusTransaction.joiningExisting().call(() -> store.byBusinessKey(function, businessKey));
    }

    @Override
    public Optional<CallStatus> status(String callId) {
        return QuarkusTransaction.joiningExisting().call(() -> store.status(callId));
    }

    @Override
    public List<CallStep> steps(String callId) {
        return QuarkusTransaction.joiningExisting().call(() -> steps.history(callId));
    }

    @Override
    public <R> Call<R> startWithin(Duration timeout, Supplier<Call<R>> start) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a call's timeout is more than zero, was " + timeout);
        }
        Objects.requireNonNull(start, "start");
        Instant previous = CallStarter.DEADLINE.enter(starter.now().plus(timeout));
        try {
            return start.get();
        } finally {
            CallStarter.DEADLINE.leave(previous);
        }
    }

    @Override
    public Cancellation cancel(String callId, String by) {
        return cancellations.cancel(callId, by);
    }

    @Override
    public Optional<CallStatus> status(Call<?> call) {
        return status(call.id());
    }

    @Override
    public <R> Optional<R> result(Call<R> call, Class<R> type) {
        return status(call).filter(status -> status.state() == CallStatus.State.SUCCEEDED)
                .map(status -> read(status.result(), type));
    }

    @Override
    public List<CallStatus> workflows(String parentId, CallStatus.State state, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> store.workflows(parentId, state, limit));
    }

    @Override
    public List<WorkflowVersions> versions(String function) {
        List<String> workflows = catalog.functions().stream().filter(FunctionCatalog.Function::workflow)
                .map(FunctionCatalog.Function::name).filter(name -> function == null || name.equals(function))
                .toList();
        return QuarkusTransaction.joiningExisting().call(() -> runsByVersion.versions(function, workflows));
    }

    private <R> R read(String json, Class<R> type) {
        try {
            return json == null ? null : mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
