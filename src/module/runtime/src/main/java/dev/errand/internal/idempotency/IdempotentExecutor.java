package dev.errand.internal.idempotency;

import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** Runs work at most once per (consumer, message-id), committing the work and its marker together. */
@ApplicationScoped
public class IdempotentExecutor {

    private final ProcessedMessageRepository markers;

    public IdempotentExecutor(ProcessedMessageRepository markers) {
        this.markers = markers;
    }

    /**
     * @return true when the work ran and committed, false when the message had been processed before
     */
    public boolean runOnce(String consumer, String messageId, Callable<?> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!markers.claim(consumer, messageId)) {
                return false;
            }
            work.call();
            return true;
        });
    }
}
