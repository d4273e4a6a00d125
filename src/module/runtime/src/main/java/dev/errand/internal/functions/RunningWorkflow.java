package dev.errand.internal.functions;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Call;
import dev.errand.StepWork;
import dev.errand.Workflow;

/** {@link Workflow} for the body that runs on this thread: each call goes to {@link WorkflowRuntime}. */
@ApplicationScoped
public class RunningWorkflow implements Workflow {

    private final WorkflowRuntime runtime;
    private final ObjectMapper mapper;

    RunningWorkflow(WorkflowRuntime runtime, ObjectMapper mapper) {
        this.runtime = runtime;
        this.mapper = mapper;
    }

    @Override
    public String id() {
        return runtime.id();
    }

    @Override
    public <T> T step(String name, Class<T> type, StepWork<T> work) {
        return runtime.step(name, mapper.constructType(type), work);
    }

    @Override
    public <T> T step(String name, TypeReference<T> type, StepWork<T> work) {
        return runtime.step(name, mapper.constructType(type), work);
    }

    @Override
    public <T> T compensate(String name, Class<T> type, StepWork<T> work) {
        return runtime.compensate(name, mapper.constructType(type), work);
    }

    @Override
    public void sleep(Duration duration) {
        runtime.sleep(duration);
    }

    @Override
    public <T> java.util.Optional<T> awaitSignal(String name, Class<T> type, Duration timeout) {
        if (name == null || name.isBlank() || name.length() > dev.errand.Signals.MAX_LENGTH) {
            throw new IllegalArgumentException("a signal's name is 1 to " + dev.errand.Signals.MAX_LENGTH
                    + " characters, was " + name);
        }
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("a signal's timeout is zero or more, was " + timeout);
        }
        return runtime.awaitSignal(name, mapper.constructType(type), timeout);
    }

    @Override
    public <R> Results<R> awaitAll(List<Call<R>> calls, Class<R> resultType) {
        return runtime.awaitAll(calls, mapper.constructType(resultType));
    }

    @Override
    public boolean patched(String change) {
        return runtime.patched(change);
    }

    @Override
    public void deprecatePatch(String change) {
        runtime.deprecatePatch(change);
    }
}
