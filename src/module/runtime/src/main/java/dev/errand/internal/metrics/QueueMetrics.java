package dev.errand.internal.metrics;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.Outbox;
import dev.errand.internal.broker.QueueDepths;
import dev.errand.internal.broker.BrokerAddresses;
import dev.errand.internal.broker.BrokerConfig;
import dev.errand.internal.broker.QueueState;
import dev.errand.internal.contract.DeadLettersConfig;
import dev.errand.BackgroundWork;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The broker's view of every queue Errand consumes, and the outbox's backlog, as gauges, tag
 * {@code queue}:
 * <ul>
 * <li>{@code errand.queue.depth}: messages waiting, in delivery and scheduled (the dead-letter queue
 * included: its depth is the DLQ depth);</li>
 * <li>{@code errand.queue.in.flight}: delivered to a consumer, not yet settled;</li>
 * <li>{@code errand.queue.scheduled}: waiting for a scheduled retry;</li>
 * <li>{@code errand.queue.oldest.age} (seconds): how long the oldest message has waited, the lag;</li>
 * <li>{@code errand.outbox.backlog} and {@code errand.outbox.oldest.age} (seconds).</li>
 * </ul>
 * Read in the background every {@value #REFRESH_SECONDS} s, so a scrape never waits for the broker;
 * a value the broker could not give keeps its last reading.
 */
@ApplicationScoped
public class QueueMetrics {

    static final int REFRESH_SECONDS = 2;
    /** 2001-09-09: a creation-time before it is taken for none at all. */
    private static final long UNSTAMPED_BEFORE_MILLIS = 1_000_000_000_000L;

    private static final Logger LOG = Logger.getLogger(QueueMetrics.class);
    private static final String LOOP = "queue-readings";
    private final BackgroundWork background;
    private final QueueDepths broker;
    private final Outbox outbox;
    private final MeterRegistry registry;
    private final Set<String> queues = new TreeSet<>();
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    private final Event<QueuesRead> readings;
    private final String deadLetterQueue;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "errand-queue-metrics");
        thread.setDaemon(true);
        return thread;
    });

    public QueueMetrics(QueueDepths broker, Outbox outbox, ErrandMetrics metrics, Config config,
            BrokerConfig brokerSettings, DeadLettersConfig deadLetters, Event<QueuesRead> readings,
            BackgroundWork background) {
        this.background = background;
        this.broker = broker;
        this.readings = readings;
        this.outbox = outbox;
        this.registry = metrics.registry();
        String prefix = brokerSettings.addressPrefix().orElse("");
        // Tagged by plain queue name, the same on every broker.
        queues.addAll(BrokerAddresses.consumedQueues(config, prefix));
        deadLetterQueue = BrokerAddresses.queueName(prefix, deadLetters.address());
        queues.add(deadLetterQueue);
    }

    void start(@Observes StartupEvent startup) {
        for (String queue : queues) {
            gauge("errand.queue.depth", queue, "Messages on the queue: waiting, in delivery and scheduled", "messages");
            gauge("errand.queue.in.flight", queue, "Messages delivered to a consumer and not yet settled", "messages");
            gauge("errand.queue.scheduled", queue, "Messages waiting for a scheduled retry", "messages");
            gauge("errand.queue.oldest.age", queue, "How long the oldest message has waited", "seconds");
        }
        Gauge.builder("errand.outbox.backlog", value("outbox", "backlog"), AtomicLong::get)
                .description("Messages written to the outbox, not yet published").baseUnit("messages")
                .register(registry);
        Gauge.builder("errand.outbox.oldest.age", value("outbox", "age"), AtomicLong::get)
                .description("How long the oldest unpublished outbox message has waited").baseUnit("seconds")
                .register(registry);
        refresher.scheduleWithFixedDelay(this::refreshOrReport, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    private void gauge(String name, String queue, String description, String unit) {
        Gauge.builder(name, value(queue, name), AtomicLong::get).description(description).baseUnit(unit)
                .tag("queue", queue).register(registry);
    }

    private AtomicLong value(String queue, String name) {
        return values.computeIfAbsent(queue + "|" + name, any -> new AtomicLong());
    }

    /**
     * A scheduled task that throws is never run again: the readings (and backpressure, which reads
     * them) would freeze at their last values. So every failure is caught and reported.
     */
    private void refreshOrReport() {
        try {
            refresh();
            background.succeeded(LOOP);
        } catch (RuntimeException e) {
            background.failed(LOOP, e);
            LOG.warnf("Could not read the queues (%s); trying again in %d s", e, REFRESH_SECONDS);
        }
    }

    /** Reads everything once; public so that a test can look without waiting for the next round. */
    public void refresh() {
        Map<String, QueueState> states = new HashMap<>();
        for (String queue : queues) {
            broker.state(queue).ifPresent(state -> {
                states.put(queue, state);
                value(queue, "errand.queue.depth").set(state.depth());
                value(queue, "errand.queue.in.flight").set(state.inDelivery());
                value(queue, "errand.queue.scheduled").set(state.scheduled());
                // An empty queue has no lag; an unstamped head keeps the last reading.
                long age = state.oldestAgeMillis().orElse(0);
                if (stamped(age)) {
                    value(queue, "errand.queue.oldest.age").set(age / 1000);
                }
            });
        }
        try {
            Outbox.Backlog backlog = outbox.backlog(null);
            value("outbox", "backlog").set(backlog.messages());
            value("outbox", "age").set(backlog.age(Instant.now()).toSeconds());
        } catch (RuntimeException databaseDown) {
            // Keeps the last reading; the datasource's health check tells the rest.
        }
        Map<String, QueuesRead.Reading> read = new HashMap<>();
        for (String queue : queues) {
            read.put(queue, new QueuesRead.Reading(value(queue, "errand.queue.depth").get(),
                    value(queue, "errand.queue.in.flight").get(), value(queue, "errand.queue.scheduled").get(),
                    value(queue, "errand.queue.oldest.age").get()));
        }
        readings.fire(new QueuesRead(read, states, deadLetterQueue, value("outbox", "backlog").get(),
                value("outbox", "age").get(), System.nanoTime()));
    }

    /**
     * Artemis counts a message's age from its AMQP creation-time; a sender that leaves it out makes
     * the age "since 1970". Such a reading says nothing about the lag, and the last one is kept.
     */
    private static boolean stamped(long ageMillis) {
        return ageMillis < System.currentTimeMillis() - UNSTAMPED_BEFORE_MILLIS;
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}
