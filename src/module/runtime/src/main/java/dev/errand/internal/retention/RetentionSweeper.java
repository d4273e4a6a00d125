package dev.errand.internal.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.errand.BackgroundWork;
import dev.errand.internal.config.RetentionConfig;
import dev.errand.internal.flow.BackgroundPermits;
import dev.errand.internal.handling.LoopThread;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Removes what is past its window ({@link RetentionConfig}), every {@code interval}, one batch per
 * transaction. One replica sweeps at a time: each batch first takes a transaction-level advisory lock
 * (which PgBouncer's transaction mode keeps), and a replica that does not get it leaves the pass to the
 * one that did. A batch waits for no lock: the rows it removes are old, nobody writes them, and a lock
 * it would wait on means someone else is at them; it gives up after {@link #LOCK_TIMEOUT} and the next
 * pass tries again. Each batch holds a background permit (its connection is counted in the budget as
 * one), so that requests come first: without one within a second, the pass ends. Between full batches
 * it rests ({@code errand.retention.pace}), so that a backlog is worked off beside the handlers, not
 * ahead of them.
 */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
    private static final String LOOP = "retention";
    /** Any number that no other user of advisory locks in the service is likely to pick. */
    static final long LOCK_KEY = 0x6572726e_64726574L;
    private static final String LOCK_TIMEOUT = "2s";
    private static final String STATEMENT_TIMEOUT = "60s";
    /** How long a batch waits for a background permit; without one, the pass ends and the next tries. */
    private static final long HELD_BACK_AT_MOST_MILLIS = 1000;
    /** Batches of one kind in one pass, before the next kind has its turn. */
    static final int BATCHES_PER_PASS = 20;

    private final AgroalDataSource dataSource;
    private final RetentionConfig config;
    private final BackgroundWork background;
    private final BackgroundPermits permits;
    private final HistoryReadings readings;
    private final RetentionIndexes indexes;
    private final Map<HistoryKind, Counter> removed = new EnumMap<>(HistoryKind.class);
    private final LoopThread loop = new LoopThread("errand-retention", this::run);

    RetentionSweeper(AgroalDataSource dataSource, RetentionConfig config, BackgroundWork background,
            BackgroundPermits permits, HistoryReadings readings, RetentionIndexes indexes, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.background = background;
        this.permits = permits;
        this.readings = readings;
        this.indexes = indexes;
        for (HistoryKind kind : HistoryKind.values()) {
            removed.put(kind, Counter.builder("errand.retention.removed")
                    .description("Rows removed by the retention sweep, by kind").tag("kind", kind.tag)
                    .register(registry));
        }
    }

    // Before ConnectionBudget (APPLICATION + 600) counts the background's connections: the sweep holds one.
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 500) StartupEvent startup) {
        permits.addCapacity(1);
        loop.start();
    }

    private void run() {
        while (!loop.stopping()) {
            boolean more = false;
            try {
                if (config.enabled()) {
                    more = pass().more();
                }
                // A replica that does not sweep builds no index either: it reads what the indexes allow.
                if (!loop.stopping()) {
                    readings.read(config.enabled() ? indexes.ensure() : indexes.valid());
                }
                background.succeeded(LOOP);
            } catch (RuntimeException e) {
                background.failed(LOOP, e);
                LOG.warnf("Retention: could not sweep (%s); trying again in %s", e, config.interval());
            }
            // A pass that stopped at its share of a kind goes on at once, the other kinds first.
            if (!more && !pause()) {
                return;
            }
        }
    }

    /** What one pass removed, by kind, and whether a kind has more past its window than a pass takes. */
    record Pass(Map<HistoryKind, Long> removed, boolean more) {
    }

    /** One pass, for the tests and operators: see {@link #pass()}. */
    public Map<HistoryKind, Long> sweep() {
        return pass().removed();
    }

    /**
     * One pass: each kind whose index is ready in turn, batch after batch, until it has nothing past its
     * window or has had {@link #BATCHES_PER_PASS} batches, so that a kind with millions of rows to remove
     * (the first pass after an upgrade) does not hold the others back. Ends early when another replica
     * holds the sweep or the requests hold every background permit.
     */
    Pass pass() {
        Map<HistoryKind, Long> removedNow = new EnumMap<>(HistoryKind.class);
        boolean more = false;
        for (HistoryKind kind : loop.stopping() ? Set.<HistoryKind> of() : indexes.ensure()) {
            double windowSeconds = kind.window(config).toMillis() / 1000.0;
            long total = 0;
            int batches = 0;
            Long batch;
            do {
                long started = System.nanoTime();
                batch = loop.stopping() ? null : removeBatch(kind, windowSeconds);
                if (batch == null) {
                    record(kind, total, removedNow);
                    return new Pass(removedNow, false);
                }
                total += batch;
                removed.get(kind).increment(batch);
                if (batch == config.batchSize()) {
                    rest(System.nanoTime() - started);
                }
            } while (batch == config.batchSize() && ++batches < BATCHES_PER_PASS);
            more |= batch == config.batchSize();
            record(kind, total, removedNow);
        }
        return new Pass(removedNow, more);
    }

    private void record(HistoryKind kind, long total, Map<HistoryKind, Long> removedNow) {
        if (total > 0) {
            removedNow.put(kind, total);
            LOG.debugf("Retention: removed %d rows of %s older than %s", total, kind.tag, kind.window(config));
        }
    }

    /** @return the rows removed, or null when another replica sweeps now or no permit came */
    private Long removeBatch(HistoryKind kind, double windowSeconds) {
        if (!acquirePermit()) {
            return null;
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    if (!sweepLock(connection)) {
                        return null;
                    }
                    String sql = kind.removeBatch();
                    try (PreparedStatement remove = connection.prepareStatement(sql)) {
                        int parameters = HistoryKind.parameters(sql);
                        for (int i = 1; i < parameters; i++) {
                            remove.setDouble(i, windowSeconds);
                        }
                        remove.setInt(parameters, config.batchSize());
                        if (remove.execute()) {
                            try (ResultSet count = remove.getResultSet()) {
                                count.next();
                                return count.getLong(1);
                            }
                        }
                        return (long) remove.getUpdateCount();
                    }
                }
            });
        } finally {
            permits.release();
        }
    }

    private static boolean sweepLock(Connection connection) throws SQLException {
        try (Statement limits = connection.createStatement()) {
            limits.execute("set local lock_timeout = '" + LOCK_TIMEOUT + "'");
            limits.execute("set local statement_timeout = '" + STATEMENT_TIMEOUT + "'");
        }
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet taken = lock.executeQuery()) {
                return taken.next() && taken.getBoolean(1);
            }
        }
    }

    private boolean acquirePermit() {
        try {
            return permits.acquire(HELD_BACK_AT_MOST_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Rests after a full batch that took {@code nanos}, for the share of time {@code pace} leaves to others. */
    private void rest(long nanos) {
        double pace = Math.min(1, Math.max(0.01, config.pace()));
        long restMillis = (long) (nanos * (1 - pace) / pace / 1_000_000);
        if (restMillis > 0) {
            waitUnlessStopping(restMillis);
        }
    }

    /** @return false when the service stops */
    private boolean pause() {
        return waitUnlessStopping(config.interval().toMillis());
    }

    private boolean waitUnlessStopping(long millis) {
        return loop.pause(millis);
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) ShutdownEvent shutdown) {
        loop.stop(Duration.ofSeconds(10));
        background.ended(LOOP);
    }
}
