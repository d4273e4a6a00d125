package dev.errand.internal.idempotency;

import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import dev.errand.OutsideTransaction;

/** {@link OutsideTransaction} with JTA: suspends the thread's transaction around the call. */
@ApplicationScoped
public class SuspendingOutsideTransaction implements OutsideTransaction {

    private final TransactionManager transactions;

    public SuspendingOutsideTransaction(TransactionManager transactions) {
        this.transactions = transactions;
    }

    @Override
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
        } catch (InvalidTransactionException e) {
            throw new IllegalStateException("Could not resume the handler's transaction", e);
        }
    }
}
