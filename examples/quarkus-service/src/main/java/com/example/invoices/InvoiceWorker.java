package com.example.invoices;

import java.sql.Connection;
import java.sql.PreparedStatement;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.Task;
import io.agroal.api.AgroalDataSource;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * The whole handler. Errand runs it at most once per message id, in one transaction with its
 * processed-message marker; retries it in process (@Retry), then on the broker; pauses it while the
 * billing breaker is open (found on Billing, which it calls); and dead-letters what cannot be done.
 */
@ApplicationScoped
public class InvoiceWorker {

    private final Billing billing;
    private final AgroalDataSource database;

    InvoiceWorker(Billing billing, AgroalDataSource database) {
        this.billing = billing;
        this.database = database;
    }

    @Incoming("invoices")
    @Retry(maxRetries = 2, delay = 50, abortOn = CircuitBreakerOpenException.class)
    @ExponentialBackoff
    void send(SendInvoice invoice, Task<SendInvoice> task) throws Exception {
        String receipt = billing.send(task.messageId(), invoice);
        // Commits with Errand's marker: a redelivered message finds it and does not run again.
        try (Connection connection = database.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into invoice_sent (invoice_id, customer, amount_cents, receipt) values (?, ?, ?, ?)")) {
            insert.setString(1, invoice.invoiceId());
            insert.setString(2, invoice.customer());
            insert.setLong(3, invoice.amountCents());
            insert.setString(4, receipt);
            insert.executeUpdate();
        }
    }
}
