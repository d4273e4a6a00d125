package dev.errand.internal.foreground;

import java.time.Duration;
import java.util.List;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Foreground first: the service's background work (consumers, durable calls, the outbox relay) yields
 * the CPU to its HTTP requests while they answer slower than their target.
 */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.foreground")
public interface ForegroundConfig {

    /** Whether the background is held back while requests suffer. Off: it runs at its own limits only. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The requests' latency, at the 99th percentile over the last second, above which the background is
     * cut. The same bound applies to the event loops' delay in running a task. Set it above what the
     * service's endpoints take on an idle machine, or the background stays at its floor.
     */
    @WithDefault("20ms")
    Duration latencyTarget();

    /** How often the controller looks and adjusts the background's limit. */
    @WithDefault("250ms")
    Duration interval();

    /** The fewest runs the background may hold at once, however slow the requests: it never stops. */
    @WithDefault("1")
    int minBackground();

    /**
     * Request paths (prefixes) that are not foreground: the management endpoints, Errand's operator
     * API and dashboard, and long-lived requests such as long polls (WebSocket upgrades and requests
     * that accept {@code text/event-stream} are skipped anyway; any request running over 5 s is
     * taken for long-lived).
     */
    @WithDefault("/q/,/errand/")
    List<String> ignoredPaths();
}
