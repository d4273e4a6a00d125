package dev.errand;

/**
 * The application's work for one message. It runs inside the transaction that records the message
 * as processed, so its database writes and that record commit together or not at all.
 * <p>
 * Call remote systems through {@link OutsideTransaction}: a reactive client would otherwise carry the
 * transaction to another thread, and a failed call could then leave the record committed without the
 * work.
 */
@FunctionalInterface
public interface TaskHandler<T> {
    void handle(Task<T> task) throws Exception;
}
