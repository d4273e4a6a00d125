package dev.errand.internal.functions;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.Outbox;
import dev.errand.internal.time.ErrandClock;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Ends a call and the calls under it (cancelled, or past their deadline) in one transaction: their rows,
 * and for each workflow that had started, a timer of a new wait number that runs it once more, at once,
 * so that it stops where it is and runs its compensation; every older timer and wake-up of it runs nothing.
 */
@ApplicationScoped
public class Cancellations {

    private final CallStore store;
    private final Outbox outbox;
    private final ParentWakeups wakeups;
    private final ErrandClock clock;

    Cancellations(CallStore store, Outbox outbox, ParentWakeups wakeups, ErrandClock clock) {
        this.clock = clock;
        this.store = store;
        this.outbox = outbox;
        this.wakeups = wakeups;
    }

    public DurableCalls.Cancellation cancel(String callId, String by) {
        if (by == null || by.isBlank() || by.length() > 200) {
            throw new IllegalArgumentException("who cancels is 1 to 200 characters, was " + by);
        }
        return QuarkusTransaction.joiningExisting().call(() -> end(callId, by, CallStatus.State.CANCELLED));
    }

    /** In the current transaction; {@code state} is CANCELLED or TIMED_OUT. */
    DurableCalls.Cancellation end(String callId, String by, CallStatus.State state) {
        CallStore.Cancellation done = store.cancel(callId, by, state).orElse(null);
        if (done == null) {
            return new DurableCalls.Cancellation(DurableCalls.Cancellation.Outcome.NO_SUCH_CALL, 0);
        }
        if (done.ended().isEmpty()) {
            return new DurableCalls.Cancellation(DurableCalls.Cancellation.Outcome.FINISHED, 0);
        }
        Instant now = clock.instant();
        for (CallStore.Ended ended : done.ended()) {
            if (ended.startedWorkflow()) {
                outbox.enqueue(ResumeMessage.timer(ended.id(), ended.function(), ended.waitSeq(), now));
            }
        }
        if (done.parentId() != null) {
            // Its parent may be waiting for it: an ended child counts as one that finished.
            wakeups.ended(callId);
        }
        return new DurableCalls.Cancellation(DurableCalls.Cancellation.Outcome.CANCELLED, done.ended().size());
    }
}
