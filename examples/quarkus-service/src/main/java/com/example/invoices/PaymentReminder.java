package com.example.invoices;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Call;
import dev.errand.DurableWorkflow;
import dev.errand.Workflow;

import org.jboss.logging.Logger;

/**
 * Waits for an invoice's payment for its payment term; an invoice still unpaid then gets a reminder. The
 * wait is durable: no thread waits, and a restart in between changes nothing. Its test skips the fourteen
 * days (InvoiceReminderTest).
 */
@ApplicationScoped
public class PaymentReminder {

    private static final Logger LOG = Logger.getLogger(PaymentReminder.class);

    /** How long a customer has to pay. */
    static final Duration PAYMENT_TERM = Duration.ofDays(14);
    /** The signal that a payment came in; its payload says how it was paid. */
    static final String PAID = "paid";

    private final Workflow workflow;

    PaymentReminder(Workflow workflow) {
        this.workflow = workflow;
    }

    @DurableWorkflow(name = "payment-reminder")
    public Call<String> remind(String invoiceId) {
        Optional<String> paid = workflow.awaitSignal(PAID, String.class, PAYMENT_TERM);
        if (paid.isPresent()) {
            return Call.returning("paid by " + paid.get());
        }
        // A step: recorded once, so a run that resumes after it does not remind twice.
        workflow.step("remind", String.class, key -> {
            LOG.infof("Invoice %s is unpaid after %s: reminding its customer", invoiceId, PAYMENT_TERM);
            return key;
        });
        return Call.returning("reminded");
    }
}
