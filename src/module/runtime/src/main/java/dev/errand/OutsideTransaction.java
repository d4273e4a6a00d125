package dev.errand;

import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

/**
 * Runs a call to a remote system with the handler's database transaction suspended.
 * <p>
 * A handler runs inside the transaction that records its message as processed. A reactive client
 * (the Quarkus REST client, say) would otherwise carry that transaction onto an event-loop thread;
 * when the call then fails fast, Narayana finds two threads in the transaction and its rollback can
 * fail half-way, which once let a processed-message marker commit without the handler's work. The
 * remote call has nothing to commit, so it does not belong to the transaction.
 */
@ApplicationScoped
public class OutsideTransaction {

    private final TransactionManager transactions;

    public OutsideTransaction(TransactionManager transactions) {
        this.transactions = transactions;
    }

    public <T> T call(Callable<T> remoteCall) throws Exception {
        Transaction suspended = transactions.suspend();
        try {
            return remoteCall.call();
        } finally {
            if (suspended != null) {
                resume(suspended);
            }
        }
    }

    private void resume(Transaction suspended) throws SystemException {
        try {
            transactions.resume(suspended);
        } catch (jakarta.transaction.InvalidTransactionException e) {
            throw new IllegalStateException("Could not resume the handler's transaction", e);
        }
    }
}
