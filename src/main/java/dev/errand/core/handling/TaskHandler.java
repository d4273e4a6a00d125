package dev.errand.core.handling;

/**
 * The application's work for one message. It runs inside the transaction that records the message
 * as processed, so its database writes and that record commit together or not at all.
 */
@FunctionalInterface
public interface TaskHandler<T> {
    void handle(Task<T> task) throws Exception;
}
