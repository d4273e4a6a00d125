package dev.errand;

import java.util.concurrent.Callable;

/**
 * Runs a call to a remote system with the handler's database transaction suspended.
 * <p>
 * A handler runs inside the transaction that records its message as processed. A reactive client
 * (the Quarkus REST client, say) would otherwise carry that transaction onto an event-loop thread;
 * when the call then fails fast, Narayana finds two threads in the transaction and its rollback can
 * fail half-way, which once let a processed-message marker commit without the handler's work. The
 * remote call has nothing to commit, so it does not belong to the transaction.
 */
public interface OutsideTransaction {

    /**
     * Runs {@code remoteCall} with the current transaction (if any) suspended, and resumes it after,
     * whether the call returned or threw.
     *
     * @return what the call returned
     * @throws Exception what the call threw
     */
    <T> T call(Callable<T> remoteCall) throws Exception;
}
