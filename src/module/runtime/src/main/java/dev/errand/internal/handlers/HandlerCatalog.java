package dev.errand.internal.handlers;

import java.util.List;
import java.util.Set;

/**
 * What the build found: the channels of the annotated handlers and every circuit breaker name in the
 * service. Recorded at build time (HandlerRecorder), read at start-up by {@link StartupChecks}.
 */
public final class HandlerCatalog {

    private static volatile List<String> handlerChannels = List.of();
    private static volatile Set<String> breakerNames = Set.of();

    private HandlerCatalog() {
    }

    /** What the build found (HandlerRecorder); a test records its own. */
    public static void record(List<String> channels, Set<String> breakers) {
        handlerChannels = List.copyOf(channels);
        breakerNames = Set.copyOf(breakers);
    }

    /** The {@code @Incoming} channels of the annotated handlers. */
    public static List<String> handlerChannels() {
        return handlerChannels;
    }

    /** Every {@code @CircuitBreakerName} the build saw. */
    public static Set<String> breakerNames() {
        return breakerNames;
    }
}
