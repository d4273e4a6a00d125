package dev.errand.internal.functions;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.internal.handling.LateCopies;

/**
 * A durable call's message, however old, is judged by its call's record while there is one: a
 * succeeded call runs nothing again, a running one resumes (the timer of a durable sleep of days is
 * such a copy). Asked only of a message older than the marker window, so never on the way of a
 * message that comes in time.
 */
@ApplicationScoped
public class CallRecords implements LateCopies.RunRecords {

    private final FunctionCatalog catalog;
    private final CallStore store;

    CallRecords(FunctionCatalog catalog, CallStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    @Override
    public boolean recorded(String channel, String messageId) {
        return catalog.functions().stream().anyMatch(function -> function.channel().equals(channel))
                && store.find(ResumeMessage.of(messageId).callId()).isPresent();
    }
}
