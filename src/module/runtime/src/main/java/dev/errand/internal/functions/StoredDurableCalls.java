package dev.errand.internal.functions;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.WorkflowVersions;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** {@link DurableCalls} from the call table. */
@ApplicationScoped
public class StoredDurableCalls implements DurableCalls {

    private final CallStore store;
    private final RunsByVersion runsByVersion;
    private final FunctionCatalog catalog;
    private final ObjectMapper mapper;
    private final Cancellations cancellations;

    StoredDurableCalls(CallStore store, RunsByVersion runsByVersion, FunctionCatalog catalog, ObjectMapper mapper,
            Cancellations cancellations) {
        this.cancellations = cancellations;
        this.store = store;
        this.runsByVersion = runsByVersion;
        this.catalog = catalog;
        this.mapper = mapper;
    }

    @Override
    public Optional<CallStatus> status(String callId) {
        return QuarkusTransaction.joiningExisting().call(() -> store.status(callId));
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
