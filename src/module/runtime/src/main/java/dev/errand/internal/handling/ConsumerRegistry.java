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

import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.handlers.HandlerCatalog;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;

/**
 * The service's consumers, one {@link Consumer} per incoming channel Errand runs, made at start-up
 * for what the build found (or when a bridge, or a hand-written {@code Errands} handler, first asks);
 * registers each one's gauges and its channel's pause switch, and drains them all on shutdown.
 */
@ApplicationScoped
public class ConsumerRegistry {

    private static final Logger LOG = Logger.getLogger(ConsumerRegistry.class);

    private final ChannelRegistry channels;
    private final ConsumerGauges gauges;
    private final ConsumerPolicies policies;
    private final ShutdownConfig shutdownSettings;
    private final Pipeline pipeline;
    private final Map<String, Consumer> consumers = new ConcurrentHashMap<>();
    private boolean drained;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "errand-flow-timer");
        thread.setDaemon(true);
        return thread;
    });

    public ConsumerRegistry(ChannelRegistry channels, ConsumerGauges gauges, ConsumerPolicies policies,
            ShutdownConfig shutdownSettings, Pipeline pipeline) {
        this.channels = channels;
        this.gauges = gauges;
        this.policies = policies;
        this.shutdownSettings = shutdownSettings;
        this.pipeline = pipeline;
        pipeline.outage.onChange(out -> consumers.values().forEach(consumer -> consumer.dispatcher().databaseOut(out)));
    }

    /**
     * The consumers of the handlers and durable functions the build found, made at start-up (those of
     * them the configuration runs: a disabled channel gets none). SmallRye may connect a channel
     * before this runs; its bridge then makes its consumer with its first message, the same one.
     */
    void makeAll(@Observes StartupEvent startup) {
        HandlerCatalog.handlerChannels().stream().filter(policies::isConsumer).forEach(this::consumer);
    }

    /** The channel's consumer, made once: what a bridge holds and hands each of its messages to. */
    public Consumer consumer(String channel) {
        return consumers.computeIfAbsent(channel, this::create);
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
        ChannelDispatcher<?> dispatcher = consumer(channel).dispatcher();
        dispatcher.pauseByOperator(pause);
        return java.util.Optional.of(dispatcher.view());
    }

    /** What each consumer is doing, for operators. */
    public List<ChannelDispatcher.View> views() {
        List<ChannelDispatcher.View> views = new ArrayList<>();
        consumers.values().forEach(consumer -> views.add(consumer.dispatcher().view()));
        views.sort(Comparator.comparing(ChannelDispatcher.View::channel));
        return views;
    }

    /** How long each consumer has been stalled (zero when it is fine), by channel. */
    public Map<String, Duration> stalls() {
        Map<String, Duration> stalls = new java.util.TreeMap<>();
        consumers.forEach((channel, consumer) -> stalls.put(channel, consumer.dispatcher().stalledFor()));
        return stalls;
    }

    private Consumer create(String channel) {
        Consumer consumer = new Consumer(policies.forConsumer(channel), pipeline, timer, pause -> pause(channel, pause));
        gauges.register(consumer.dispatcher());
        if (pipeline.outage.isOut()) {
            consumer.dispatcher().databaseOut(true);
        }
        return consumer;
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
        consumers.values().forEach(consumer -> consumer.dispatcher().close());
        timer.shutdownNow();
    }

    private synchronized void drain() {
        if (drained) {
            return;
        }
        drained = true;
        policies.stopRetrying();
        Duration grace = shutdownSettings.gracePeriod();
        List<CompletableFuture<Integer>> drains = consumers.values().stream()
                .map(consumer -> CompletableFuture.supplyAsync(() -> consumer.dispatcher().drain(grace)))
                .toList();
        int unfinished = drains.stream().mapToInt(CompletableFuture::join).sum();
        if (unfinished > 0) {
            LOG.warnf("%d messages were still running after the %s grace period; the broker will redeliver them",
                    unfinished, grace);
        }
    }
}
