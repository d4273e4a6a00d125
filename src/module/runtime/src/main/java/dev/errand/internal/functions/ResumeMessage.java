package dev.errand.internal.functions;

import java.time.Instant;
import java.util.Map;

import dev.errand.OutboundMessage;
import dev.errand.WireContract;

/**
 * What a message on a workflow's queue is for. A workflow has one message per start, per wait and per
 * wake-up, each with an id of its own, so each runs at most once by its processed-message marker:
 * <ul>
 * <li>{@code <call>}: the start;</li>
 * <li>{@code <call>/wait:<n>}: the timer of the workflow's n-th wait, written with the wait in the same
 * transaction (through the outbox, held by the broker until it is due); once the workflow waits again,
 * it is the timer of a wait that is over, and runs nothing;</li>
 * <li>{@code <call>/wake:<what>}: a wake-up, written in the transaction that gives the workflow what it
 * waits for (a signal, its last child's end): it runs the workflow at once.</li>
 * </ul>
 * Only the service writes the last two ({@code /} is refused in an outside sender's call id), so an id is
 * read this way only on a message of the service's own.
 */
record ResumeMessage(String callId, Kind kind, int waitSeq) {

    enum Kind {
        START, TIMER, WAKE
    }

    private static final String TIMER = "/wait:";
    private static final String WAKE = "/wake:";

    static ResumeMessage start(String callId) {
        return new ResumeMessage(callId, Kind.START, 0);
    }

    static ResumeMessage of(String messageId) {
        int wake = messageId.lastIndexOf(WAKE);
        if (wake > 0) {
            return new ResumeMessage(messageId.substring(0, wake), Kind.WAKE, 0);
        }
        int timer = messageId.lastIndexOf(TIMER);
        if (timer > 0) {
            try {
                return new ResumeMessage(messageId.substring(0, timer), Kind.TIMER,
                        Integer.parseInt(messageId.substring(timer + TIMER.length())));
            } catch (NumberFormatException e) {
                return start(messageId);
            }
        }
        return start(messageId);
    }

    static String timerId(String callId, int waitSeq) {
        return callId + TIMER + waitSeq;
    }

    static String wakeId(String callId, String what) {
        return callId + WAKE + what;
    }

    /** The timer of a workflow's wait {@code waitSeq}, held by the broker until {@code at}. */
    static OutboundMessage timer(String callId, String function, int waitSeq, Instant at) {
        return reference(timerId(callId, waitSeq), function).deliverAt(at);
    }

    /** The message that runs a waiting workflow at once. */
    static OutboundMessage wakeUp(String callId, String function, String what) {
        return reference(wakeId(callId, what), function);
    }

    /** Only a reference, as a start is: the worker reads everything else from the call's row. */
    private static OutboundMessage reference(String messageId, String function) {
        return new OutboundMessage(FunctionSpec.queueOf(function), messageId, function, null,
                OutboundMessage.DEFAULT_PRIORITY, "{}", WireContract.CONTENT_TYPE, Map.of());
    }
}
