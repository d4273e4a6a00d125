package dev.errand.internal.functions;

import java.time.Instant;

/**
 * The deadline {@code DurableCalls.startWithin} gives the durable calls its code starts on this thread;
 * {@link CallStarter} records it with them (each call's deadline is this or its parent's, whichever
 * comes first).
 */
final class CallDeadline {

    private static final ThreadLocal<Instant> CURRENT = new ThreadLocal<>();

    private CallDeadline() {
    }

    static Instant current() {
        return CURRENT.get();
    }

    static Instant enter(Instant deadline) {
        Instant previous = CURRENT.get();
        CURRENT.set(deadline);
        return previous;
    }

    static void leave(Instant previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
