package dev.errand.internal.foreground;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.errand.internal.flow.BackgroundPermits;
import dev.errand.internal.flow.ForegroundFirstLimit;
import dev.errand.internal.metrics.ErrandMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps the service's requests answering while its background drains: it times every HTTP request
 * (from its arrival on the event loop to the end of its response) and the event loops' delay, and once
 * an interval sets {@link BackgroundPermits}' limit with {@link ForegroundFirstLimit}. With no requests
 * the limit doubles back up to the ceiling, where the background runs at its consumers' own limits.
 * <p>
 * It observes the HTTP server; it changes no answer: the filter only starts a clock and calls
 * {@code next()}.
 */
@ApplicationScoped
public class ForegroundFirst {

    private static final Logger LOG = Logger.getLogger(ForegroundFirst.class);
    private static final double PERCENTILE = 0.99;
    /** Ahead of the security and REST handlers, so that their wait counts too. */
    private static final int FILTER_PRIORITY = 20_000;
    /** The requests judged: those of the last second (or of the last interval, if longer). */
    private static final long WINDOW_MILLIS = 1_000;
    /**
     * Requests the window needs before its percentile counts: the p99 of three requests is their
     * slowest, and a poll now and then should not hold the background back.
     */
    private static final int MIN_REQUESTS = 10;
    /** Intervals after a cut before the next may cut: the work started before it is still running. */
    private static final int SETTLE_INTERVALS = 2;

    /** What the controller saw last, for the dashboard and the gauges. */
    public record View(boolean enabled, int limit, int ceiling, int inUse, long requests, double latencyMillis,
            double eventLoopDelayMillis, double targetMillis, boolean heldBack, String summary) {
    }

    private final ForegroundConfig config;
    private final BackgroundPermits permits;
    private final ErrandMetrics metrics;
    private final Vertx vertx;
    private final RequestLatencies requests;
    private final ForegroundFirstLimit controller;
    private final long intervalMillis;
    private ScheduledExecutorService ticker;
    private EventLoopDelay loops;
    private volatile View view;
    private volatile boolean switchedOn = true;

    ForegroundFirst(ForegroundConfig config, BackgroundPermits permits, ErrandMetrics metrics, Vertx vertx) {
        this.config = config;
        this.permits = permits;
        this.metrics = metrics;
        this.vertx = vertx;
        this.intervalMillis = Math.max(10, config.interval().toMillis());
        int windowIntervals = (int) Math.max(1, WINDOW_MILLIS / intervalMillis);
        this.requests = new RequestLatencies(windowIntervals);
        // Patience: a window's worth of intervals without enough requests to judge.
        this.controller = new ForegroundFirstLimit(config.latencyTarget().toNanos(), config.minBackground(),
                SETTLE_INTERVALS, windowIntervals);
        this.view = new View(config.enabled(), permits.limit(), permits.ceiling(), 0, 0, 0, 0, millis(config.latencyTarget().toNanos()),
                false, config.enabled() ? "background not held back" : "foreground first is off");
    }

    void timeRequests(@Observes Filters filters) {
        if (config.enabled()) {
            filters.register(this::time, FILTER_PRIORITY);
        }
    }

    void start(@Observes StartupEvent started) {
        registerGauges();
        if (!config.enabled()) {
            LOG.info("Foreground first is off: the background runs at its consumers' own limits");
            return;
        }
        loops = new EventLoopDelay(vertx);
        ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "errand-foreground-first");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.infof("Foreground first: the background (up to %d runs at once) yields while requests take over %s at p99",
                permits.ceiling(), config.latencyTarget());
    }

    @PreDestroy
    void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // After the last tick, which would otherwise set a limit after this.
        permits.unlimited();
    }

    private void time(RoutingContext context) {
        if (isForeground(context)) {
            Object request = context;
            requests.started(request, System.nanoTime());
            context.addEndHandler(ended -> requests.finished(request, System.nanoTime()));
        }
        context.next();
    }

    private boolean isForeground(RoutingContext context) {
        String path = context.normalizedPath();
        List<String> ignored = config.ignoredPaths();
        for (int i = 0; i < ignored.size(); i++) {
            if (path.startsWith(ignored.get(i))) {
                return false;
            }
        }
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        return context.request().getHeader(HttpHeaders.UPGRADE) == null
                && (accept == null || !accept.contains("text/event-stream"));
    }

    /**
     * Switches the controller on or off while the service runs, off lifting the limit: for a
     * measurement of the same service with and without it, and for an operator who wants to see what
     * it holds back. The setting {@code errand.foreground.enabled} decides whether it runs at all.
     */
    public synchronized void switchOn(boolean on) {
        switchedOn = on;
        if (!on) {
            permits.unlimited();
            view = new View(false, permits.limit(), permits.ceiling(), permits.inUse(), 0, 0, 0,
                    millis(controller.targetNanos()), false, "foreground first is switched off");
        }
    }

    synchronized void tick() {
        if (!switchedOn) {
            return;
        }
        try {
            long now = System.nanoTime();
            RequestLatencies.Window window = requests.take(PERCENTILE, now);
            long loopDelay = loops.take(now);
            boolean foreground = window.finished() > 0 || window.running() > 0;
            // With nothing finished, the oldest running request is the only sign: a stalled foreground
            // must read as slow, not as idle.
            long latency = window.finished() > 0 ? window.percentileNanos() : window.oldestRunningNanos();
            boolean stalled = window.finished() == 0 && window.running() > 0
                    && latency > controller.targetNanos();
            boolean judged = window.finished() >= MIN_REQUESTS || stalled;
            int peak = permits.takePeakInUse();
            ForegroundFirstLimit.Reading reading = new ForegroundFirstLimit.Reading(foreground, judged, latency,
                    loopDelay, peak);
            int before = permits.limit();
            int ceiling = permits.ceiling();
            int next = controller.next(before, ceiling, reading);
            permits.limitTo(next);
            if (next < before) {
                requests.forget();
            }
            boolean heldBack = next < ceiling;
            view = new View(true, next, ceiling, permits.inUse(), window.finished(), millis(latency), millis(loopDelay),
                    millis(controller.targetNanos()), heldBack, summary(reading, next, ceiling));
            if (next < before && LOG.isDebugEnabled()) {
                LOG.debugf("Background cut from %d to %d: %s", before, next, view.summary());
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Foreground first could not look at the requests; the background is not held back");
            permits.unlimited();
        }
    }

    private String summary(ForegroundFirstLimit.Reading reading, int limit, int ceiling) {
        String target = format(controller.targetNanos());
        if (!reading.foreground()) {
            return limit < ceiling ? "no requests: background back up to " + limit + " of " + ceiling
                    : "no requests: background at full speed (" + ceiling + ")";
        }
        if (!reading.judged()) {
            return (limit < ceiling ? "background at " + limit + " of " + ceiling : "background not held back")
                    + ": too few requests to judge (" + format(reading.latencyNanos()) + " at p99)";
        }
        String requests = "requests take " + format(reading.latencyNanos()) + " at p99, event loops "
                + format(reading.loopDelayNanos()) + " late (target " + target + ")";
        return limit < ceiling ? "background held back to " + limit + " of " + ceiling + " because " + requests
                : "background not held back: " + requests;
    }

    public View view() {
        return view;
    }

    private void registerGauges() {
        MeterRegistry registry = metrics.registry();
        Gauge.builder("errand.background.limit", permits, BackgroundPermits::limit)
                .description("Runs the whole background may hold at once (foreground first)").register(registry);
        Gauge.builder("errand.background.in.use", permits, BackgroundPermits::inUse)
                .description("Runs the background holds now").register(registry);
        Gauge.builder("errand.foreground.latency", this, first -> first.view.latencyMillis() / 1000)
                .baseUnit("seconds").description("The requests' p99 latency over the last second")
                .register(registry);
        Gauge.builder("errand.foreground.event.loop.delay", this, first -> first.view.eventLoopDelayMillis() / 1000)
                .baseUnit("seconds").description("The event loops' longest delay over the last interval")
                .register(registry);
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static String format(long nanos) {
        Duration duration = Duration.ofNanos(nanos);
        return duration.toMillis() >= 1000 ? String.format("%.1f s", nanos / 1e9)
                : String.format("%.0f ms", Math.max(0, nanos / 1e6));
    }
}
