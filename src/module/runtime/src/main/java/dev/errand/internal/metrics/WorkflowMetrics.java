package dev.errand.internal.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Workflows that wait, and those that wait too long, as gauges, tag {@code function}:
 * <ul>
 * <li>{@code errand.workflows.waiting}: workflows waiting now (a durable sleep, a signal, their
 * children);</li>
 * <li>{@code errand.workflows.overdue}: of those, the ones due more than {@value #OVERDUE_SECONDS} s
 * ago. A wait's wake-up is a message the broker holds until it is due; a workflow still waiting long
 * after that was never woken (the message was lost, or nothing consumes it) and would wait
 * forever;</li>
 * <li>{@code errand.workflows.overdue.oldest} (seconds): how long past due the oldest of those is, 0
 * when none is.</li>
 * </ul>
 * Every workflow function of the service has its gauges from the start, at 0, so an alert on them has a
 * series to read before anything waits. Read from the database in the background every
 * {@value #REFRESH_SECONDS} s, in one query on the waiting rows' own index (V15), so a scrape never
 * waits for the database and no call's work does either; a reading that fails keeps the last one.
 */
@ApplicationScoped
public class WorkflowMetrics {

    static final int REFRESH_SECONDS = 30;
    /** Past due by less than this, a wake-up may still be on its way (a busy queue, a retry). */
    static final int OVERDUE_SECONDS = 60;

    /**
     * One reading, both parameters {@value #OVERDUE_SECONDS}; public so that a test can check that the
     * database reads it from the index of the waiting rows.
     */
    public static final String READING = """
            select function, count(*),
                count(*) filter (where wake_at < now() - make_interval(secs => ?)),
                coalesce(extract(epoch from now() - min(wake_at) filter (where wake_at < now() - make_interval(secs => ?))), 0)
            from errand_call where status = 'WAITING' group by function""";

    private static final Logger LOG = Logger.getLogger(WorkflowMetrics.class);
    private static final String WAITING = "errand.workflows.waiting";
    private static final String OVERDUE = "errand.workflows.overdue";
    private static final String OLDEST = "errand.workflows.overdue.oldest";

    private final AgroalDataSource dataSource;
    private final MeterRegistry registry;
    /** The three readings of one workflow function, registered as its gauges. */
    private record Readings(AtomicLong waiting, AtomicLong overdue, AtomicLong oldest) {

        void set(long waitingNow, long overdueNow, long oldestNow) {
            waiting.set(waitingNow);
            overdue.set(overdueNow);
            oldest.set(oldestNow);
        }
    }

    private final Map<String, Readings> readings = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "errand-workflow-metrics");
        thread.setDaemon(true);
        return thread;
    });

    public WorkflowMetrics(AgroalDataSource dataSource, ErrandMetrics metrics) {
        this.dataSource = dataSource;
        this.registry = metrics.registry();
    }

    void start(@Observes StartupEvent startup) {
        refresher.scheduleWithFixedDelay(this::refreshOrReport, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * A workflow function of the service, known before any of its runs waits: its gauges, at 0 (the
     * functions feature tells, at start-up; metrics sits below it and does not read its catalog).
     */
    public void gauges(String function) {
        readingsOf(function);
    }

    private Readings readingsOf(String function) {
        return readings.computeIfAbsent(function, any -> new Readings(
                gauge(WAITING, function, "Workflows waiting: a durable sleep, a signal, their children", null),
                gauge(OVERDUE, function, "Waiting workflows due more than a minute ago: a wake-up nobody took", null),
                gauge(OLDEST, function, "How long past due the most overdue waiting workflow is", "seconds")));
    }

    private AtomicLong gauge(String name, String function, String description, String unit) {
        AtomicLong value = new AtomicLong();
        Gauge.builder(name, value, AtomicLong::get).description(description).baseUnit(unit)
                .tag("function", function).register(registry);
        return value;
    }

    /** A scheduled task that throws is never run again: every failure is caught and logged. */
    private void refreshOrReport() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // Keeps the last readings; the datasource's health check tells whether the database is down.
            LOG.warnf("Could not count the waiting workflows (%s); trying again in %d s", e, REFRESH_SECONDS);
        }
    }

    /** Reads everything once; public so that a test can look without waiting for the next round. */
    public void refresh() {
        Set<String> seen = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(READING)) {
            query.setInt(1, OVERDUE_SECONDS);
            query.setInt(2, OVERDUE_SECONDS);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String function = rows.getString(1);
                    seen.add(function);
                    readingsOf(function).set(rows.getLong(2), rows.getLong(3), (long) rows.getDouble(4));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the waiting workflows", e);
        }
        // A function with nothing waiting any more reads 0, not its last count.
        readings.forEach((function, read) -> {
            if (!seen.contains(function)) {
                read.set(0, 0, 0);
            }
        });
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}
