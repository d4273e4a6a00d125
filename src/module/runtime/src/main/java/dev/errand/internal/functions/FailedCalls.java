package dev.errand.internal.functions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.errand.Origin;
import dev.errand.internal.contract.FailureKind;
import dev.errand.internal.deadletter.DeadLetterRecorded;

/**
 * A durable call whose message was dead-lettered has failed: its status, and its parent workflow's
 * count of failed children, follow the dead letter in the transaction that stores it.
 */
@ApplicationScoped
public class FailedCalls {

    private final CallStore calls;
    private final FunctionCatalog functions;
    private final ParentWakeups wakeups;

    public FailedCalls(CallStore calls, FunctionCatalog functions, ParentWakeups wakeups) {
        this.calls = calls;
        this.functions = functions;
        this.wakeups = wakeups;
    }

    void onDeadLetter(@Observes DeadLetterRecorded letter) {
        if (letter.consumer() == null || !letter.consumer().startsWith(FunctionSpec.CHANNEL_PREFIX)
                || FailureKind.UNTRUSTED_SENDER.wireName().equals(letter.reason())) {
            return;
        }
        // An outside failure never records a row under an id the service keeps for its own calls: a
        // failed row there would stand for a child its parent has yet to record. Only a call of the
        // same origin fails: an outside sender's failure never fails the service's call.
        if (letter.origin() == Origin.OUTSIDE && FunctionWorker.reservedIdProblem(letter.messageId()) != null) {
            return;
        }
        // A workflow's timer or wake-up stands for its call.
        String callId = letter.origin() == Origin.SERVICE ? ResumeMessage.of(letter.messageId()).callId()
                : letter.messageId();
        String why = letter.reason() + ": " + letter.error();
        if (!callId.equals(letter.messageId())) {
            // A timer or a wake-up: the service's own message, for a workflow of any origin.
            calls.failedResuming(callId, why, letter.messageId());
        } else {
            calls.failed(callId, functions.nameOf(letter.consumer()), why, letter.origin().wireName(),
                    letter.messageId());
        }
        wakeups.ended(callId);
    }
}
