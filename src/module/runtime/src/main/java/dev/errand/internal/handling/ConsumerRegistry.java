package dev.errand.internal.handling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.errand.internal.flow.AimdLimit;
import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.flow.ConcurrencyLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;

/**
 * The consumers' dispatchers, one per incoming channel, made from its policy on its first message;
 * ties each to its circuit breakers (BreakerBinding), its gauges (ConsumerGauges) and its channel's
 * pause switch, and drains them all on shutdown.
 */
@ApplicationScoped
public class ConsumerRegistry {

    private static final Logger LOG = Logger.getLogger(ConsumerRegistry.class);

    private final ChannelRegistry channels;
    private final BreakerBinding breakers;
    private final ConsumerGauges gauges;
    private final ConsumerPolicies policies;
    private final ShutdownConfig shutdownSettings;
    private final Map<String, ChannelDispatcher> dispatchers = new ConcurrentHashMap<>();
    private boolean drained;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "errand-flow-timer");
        thread.setDaemon(true);
        return thread;
    });

    public ConsumerRegistry(ChannelRegistry channels, BreakerBinding breakers, ConsumerGauges gauges,
            ConsumerPolicies policies, ShutdownConfig shutdownSettings) {
        this.channels = channels;
        this.breakers = breakers;
        this.gauges = gauges;
        this.policies = policies;
        this.shutdownSettings = shutdownSettings;
    }

    ChannelDispatcher dispatcher(ConsumerPolicy policy) {
        return dispatchers.computeIfAbsent(policy.channel(), channel -> create(policy));
    }

    /**
     * Pauses or resumes a consumer for an operator.
     *
     * @return what it does now; empty when no such consumer is configured
     */
    public java.util.Optional<ChannelDispatcher.View> pauseByOperator(String channel, boolean pause) {
        if (!policies.isConsumer(channel)) {
            return java.util.Optional.empty();
        }
        ChannelDispatcher dispatcher = dispatcher(policies.forConsumer(channel));
        dispatcher.pauseByOperator(pause);
        return java.util.Optional.of(dispatcher.view());
    }

    /** What each consumer is doing, for operators. */
    public List<ChannelDispatcher.View> views() {
        List<ChannelDispatcher.View> views = new ArrayList<>();
        dispatchers.values().forEach(dispatcher -> views.add(dispatcher.view()));
        views.sort(Comparator.comparing(ChannelDispatcher.View::channel));
        return views;
    }

    /** How long each consumer has been stalled (zero when it is fine), by channel. */
    public Map<String, Duration> stalls() {
        Map<String, Duration> stalls = new java.util.TreeMap<>();
        dispatchers.forEach((channel, dispatcher) -> stalls.put(channel, dispatcher.stalledFor()));
        return stalls;
    }

    private ChannelDispatcher create(ConsumerPolicy policy) {
        ConsumerPolicy.Flow flow = policy.flow();
        ConsumerPolicy.Adaptive adaptive = flow.adaptive();
        ConcurrencyLimit limit = adaptive.enabled()
                ? new AimdLimit(adaptive.min(), adaptive.initial(), flow.concurrency(), adaptive.backoffRatio(),
                        adaptive.latencyTolerance(), adaptive.window())
                : ConcurrencyLimit.fixed(flow.concurrency());
        Bucket rate = flow.rateLimit().map(ConsumerRegistry::rateLimit).orElse(null);
        String channel = policy.channel();
        ChannelDispatcher dispatcher = new ChannelDispatcher(channel, flow.concurrency(), flow.buffer(), limit, rate,
                flow.probeInterval(), timer, pause -> pause(channel, pause), () -> breakers.anyOpen(policy),
                flow.batchSize(), Delivery::runAll);
        breakers.bind(policy, dispatcher);
        gauges.register(dispatcher);
        LOG.infof("Consumer %s: concurrency %s, buffer %d, batch %d, rate limit %s, circuit breakers %s", channel,
                adaptive.enabled() ? "adaptive up to " + flow.concurrency() : flow.concurrency(),
                flow.buffer(), flow.batchSize(), flow.rateLimit().map(perSecond -> perSecond + "/s").orElse("none"),
                flow.circuitBreakers());
        return dispatcher;
    }

    /** A second's worth of tokens at most, a tenth of it as burst, so the limit holds over any second. */
    private static Bucket rateLimit(double perSecond) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate-limit must be positive, was " + perSecond);
        }
        Bandwidth bandwidth = perSecond >= 1
                ? Bandwidth.builder().capacity(Math.max(1, Math.round(perSecond / 10)))
                        .refillGreedy(Math.round(perSecond), Duration.ofSeconds(1)).build()
                : Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofMillis(Math.round(1000 / perSecond)))
                        .build();
        return Bucket.builder().addLimit(bandwidth).build();
    }

    /** Uses SmallRye's pausable channel where the channel is configured {@code pausable=true}. */
    private void pause(String channel, boolean pause) {
        PausableChannel pausable = channels.getPausable(channel);
        if (pausable == null) {
            return;
        }
        if (pause) {
            pausable.pause();
        } else {
            pausable.resume();
        }
    }

    /**
     * On SIGTERM, while the service is still whole (HTTP, database, broker link): stop retrying in
     * process, stop starting messages, give waiting ones back, and let running ones finish within
     * the grace period, so their acknowledgements reach the broker and the downstream calls they make
     * are answered. Quarkus fires this before it stops serving HTTP ({@code quarkus.shutdown.delay-enabled}).
     */
    void drainBeforeHttpStops(@Observes ShutdownDelayInitiatedEvent shutdown) {
        drain();
    }

    /** The same, for a shutdown that skipped the delay phase; a second drain finds nothing to do. */
    void drainBeforeConnectorsClose(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent shutdown) {
        drain();
        dispatchers.values().forEach(ChannelDispatcher::close);
        timer.shutdownNow();
    }

    private synchronized void drain() {
        if (drained) {
            return;
        }
        drained = true;
        policies.stopRetrying();
        Duration grace = shutdownSettings.gracePeriod();
        List<CompletableFuture<Integer>> drains = dispatchers.values().stream()
                .map(dispatcher -> CompletableFuture.supplyAsync(() -> dispatcher.drain(grace)))
                .toList();
        int unfinished = drains.stream().mapToInt(CompletableFuture::join).sum();
        if (unfinished > 0) {
            LOG.warnf("%d messages were still running after the %s grace period; the broker will redeliver them",
                    unfinished, grace);
        }
    }
}
