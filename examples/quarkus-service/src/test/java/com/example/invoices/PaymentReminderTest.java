package com.example.invoices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.Signals;
import dev.errand.embedded.ErrandTestKit;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The fourteen days' wait for a payment, tested in seconds: the test kit skips Errand's time, and what
 * falls due within the skipped time (the wait's timeout here) runs at once.
 */
@QuarkusTest
class PaymentReminderTest {

    @Inject
    ErrandTestKit errand;
    @Inject
    PaymentReminder reminders;
    @Inject
    DurableCalls calls;
    @Inject
    Signals signals;

    @Test
    void anInvoiceStillUnpaidAfterItsFourteenDaysIsReminded() {
        Call<String> reminder = reminders.remind("inv-unpaid");
        errand.awaitIdle();

        errand.advance(Duration.ofDays(13));
        assertEquals(CallStatus.State.WAITING, state(reminder), "a day of its term is left");

        errand.advance(Duration.ofDays(2));
        assertEquals(CallStatus.State.SUCCEEDED, state(reminder));
        assertEquals("reminded", calls.result(reminder, String.class).orElseThrow());
    }

    @Test
    void aPaymentWithinTheTermEndsTheWaitWithoutAReminder() {
        Call<String> reminder = reminders.remind("inv-paid");
        errand.awaitIdle();
        errand.advance(Duration.ofDays(3));

        assertTrue(signals.send(reminder.id(), PaymentReminder.PAID, "payment-inv-paid", "card"));
        errand.awaitIdle();

        assertEquals("paid by card", calls.result(reminder, String.class).orElseThrow());
    }

    private CallStatus.State state(Call<?> call) {
        return calls.status(call).orElseThrow().state();
    }
}
