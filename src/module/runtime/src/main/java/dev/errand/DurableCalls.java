package dev.errand;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.internal.functions.CallStore;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Reads durable calls: their status, their result, and the workflows. */
@ApplicationScoped
public class DurableCalls {

    private final CallStore store;
    private final ObjectMapper mapper;

    DurableCalls(CallStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    public Optional<CallStatus> status(String callId) {
        return QuarkusTransaction.joiningExisting().call(() -> store.status(callId));
    }

    public Optional<CallStatus> status(Call<?> call) {
        return status(call.id());
    }

    /** The call's result, once it has succeeded. */
    public <R> Optional<R> result(Call<R> call, Class<R> type) {
        return status(call).filter(status -> status.state() == CallStatus.State.SUCCEEDED)
                .map(status -> read(status.result(), type));
    }

    /** Workflows, newest first: the top-level ones, or those a parent started; in any state when null. */
    public List<CallStatus> workflows(String parentId, CallStatus.State state, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> store.workflows(parentId, state, limit));
    }

    private <R> R read(String json, Class<R> type) {
        try {
            return json == null ? null : mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
