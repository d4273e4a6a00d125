package dev.errand.internal.outbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.errand.BackgroundWork;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.Backoff;
import dev.errand.internal.flow.BackgroundPermits;
import dev.errand.internal.sending.ErrandSender;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;

/**
 * Publishes the outbox: woken by each commit that wrote to it, and every {@code sweep-interval}
 * regardless. One pass claims a batch ({@code for update skip locked}, so several instances share the
 * work), sends all of it at once, awaits every message's outcome together, and deletes in one statement
 * the rows whose messages the broker stored. A row the broker refused (or did not settle in time) stays
 * and goes again in a later pass; the messages sent beside it are not sent twice for it. If nothing of
 * a pass was stored (the broker is down) the relay backs off. Messages are sent in outbox-id order; a
 * message sent again after a refusal arrives after the ones that followed it, as any re-send does.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final String SELECT = """
            select id, address, message_id, subject, correlation_id, priority, content_type, body, properties,
                   deliver_at
            from errand_outbox order by id limit ? for update skip locked""";

    private final AgroalDataSource dataSource;
    private final ErrandSender sender;
    private final OutboxConfig config;
    private final BackgroundWork background;
    private final BackgroundPermits permits;
    /**
     * How long a pass waits for a permit of the background while foreground first holds it back; then
     * it goes anyway. The relay is one loop, and what it postpones grows the outbox (which backpressure
     * counts): held back, it makes fewer, larger passes rather than none.
     */
    private static final long HELD_BACK_AT_MOST_MILLIS = 200;
    private static final String LOOP = "outbox-relay";
    private final Semaphore signal = new Semaphore(0);
    private volatile boolean stopping;
    private Thread worker;

    public OutboxRelay(AgroalDataSource dataSource, ErrandSender sender, OutboxConfig config,
            BackgroundWork background, BackgroundPermits permits) {
        this.dataSource = dataSource;
        this.sender = sender;
        this.config = config;
        this.background = background;
        this.permits = permits;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.relayEnabled()) {
            // A worker-only instance: the API instances publish what is written to the outbox.
            LOG.info("Outbox relay disabled (errand.outbox.relay-enabled=false)");
            return;
        }
        permits.addCapacity(1);
        worker = new Thread(this::run, "errand-outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    /** Something was committed to the outbox: publish now rather than at the next sweep. */
    public void wakeUp() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
        long lastRefusalLogged = System.nanoTime() - MAX_BACKOFF.toNanos() - 1;
        while (!stopping) {
            try {
                signal.tryAcquire(config.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
                Pass pass;
                do {
                    boolean permit = permits.acquire(HELD_BACK_AT_MOST_MILLIS);
                    try {
                        pass = publishBatch();
                    } finally {
                        if (permit) {
                            permits.release();
                        }
                    }
                    // A full batch, all of it stored: there may be more right behind it.
                } while (!stopping && pass.claimed() == config.batch() && pass.refused() == 0);
                if (pass.refused() == 0) {
                    backoff.reset();
                    background.succeeded(LOOP);
                } else {
                    background.failed(LOOP, pass.refusal());
                    // Nothing stored at all: the broker is down or refuses everything, so wait before asking
                    // again. Otherwise the others went; the refused rows go again at the next wake-up, and a
                    // row refused for good (shown by readiness) is logged every MAX_BACKOFF, not every pass.
                    if (pass.published() == 0) {
                        LOG.warnf("Outbox relay: the broker stored none of %d messages (%s); trying again in %d ms",
                                pass.claimed(), pass.refusal(), backoff.next().toMillis());
                        if (!backoff.failed()) {
                            return;
                        }
                    } else {
                        backoff.reset();
                        if (System.nanoTime() - lastRefusalLogged > MAX_BACKOFF.toNanos()) {
                            lastRefusalLogged = System.nanoTime();
                            LOG.warnf("Outbox relay: the broker did not store %d of %d messages (%s); they stay in "
                                    + "the outbox and go again", pass.refused(), pass.claimed(), pass.refusal());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                background.failed(LOOP, e);
                LOG.warnf("Outbox relay could not publish (%s); trying again in %d ms", e, backoff.next().toMillis());
                if (!backoff.failed()) {
                    return;
                }
            }
        }
    }

    /**
     * One pass's outcome: rows claimed, messages the broker stored (their rows deleted), and the first
     * reason one was not.
     */
    record Pass(int claimed, int published, Throwable refusal) {

        static final Pass EMPTY = new Pass(0, 0, null);

        int refused() {
            return claimed - published;
        }
    }

    /** Claims up to {@code batch} rows, sends them, and deletes those the broker stored. */
    Pass publishBatch() {
        return QuarkusTransaction.requiringNew().timeout((int) CONFIRM_TIMEOUT.toSeconds() + 10).call(() -> {
            List<Long> ids = new ArrayList<>();
            List<CompletableFuture<Void>> outcomes = new ArrayList<>();
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                    select.setInt(1, config.batch());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getLong(1));
                            outcomes.add(sender.send(message(rows)).toCompletableFuture());
                        }
                    }
                }
                if (ids.isEmpty()) {
                    return Pass.EMPTY;
                }
                awaitSettled(outcomes);
                List<Long> stored = new ArrayList<>(ids.size());
                Throwable refusal = null;
                for (int i = 0; i < ids.size(); i++) {
                    CompletableFuture<Void> outcome = outcomes.get(i);
                    if (outcome.isDone() && !outcome.isCompletedExceptionally()) {
                        stored.add(ids.get(i));
                    } else if (refusal == null) {
                        refusal = outcome.isDone() ? cause(outcome)
                                : new TimeoutException("not settled by the broker within " + CONFIRM_TIMEOUT);
                    }
                }
                if (!stored.isEmpty()) {
                    try (PreparedStatement delete = connection.prepareStatement("delete from errand_outbox where id = any(?)")) {
                        Array array = connection.createArrayOf("bigint", stored.toArray());
                        delete.setArray(1, array);
                        delete.executeUpdate();
                    }
                }
                LOG.debugf("Outbox relay published %d of %d messages", stored.size(), ids.size());
                return new Pass(ids.size(), stored.size(), refusal);
            }
        });
    }

    /** Waits until every send has its outcome, stored or not, or the confirmation timeout passes. */
    private static void awaitSettled(List<CompletableFuture<Void>> outcomes) throws InterruptedException {
        CompletableFuture<?>[] settled = outcomes.stream().map(outcome -> outcome.handle((stored, error) -> null))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(settled).get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // The unsettled ones count as not stored: their rows stay and are sent again.
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // handle() never fails
        }
    }

    private static Throwable cause(CompletableFuture<Void> failed) {
        try {
            failed.join();
            return null;
        } catch (CompletionException | CancellationException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    private static OutboundMessage message(ResultSet row) throws SQLException {
        String properties = row.getString(9);
        Map<String, Object> map = properties == null ? Map.of() : new LinkedHashMap<>(new JsonObject(properties).getMap());
        java.sql.Timestamp deliverAt = row.getTimestamp(10);
        // A timer (a waiting workflow's) is sent at once and held by the broker until it is due.
        return new OutboundMessage(row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getInt(6),
                row.getString(8), row.getString(7), map, deliverAt == null ? null : deliverAt.toInstant());
    }

    /**
     * On SIGTERM, after the consumers have drained: the batch in progress commits (or rolls back and
     * stays in the outbox), then the relay stops. Its position is the outbox itself.
     */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) ShutdownEvent shutdown) {
        stopping = true;
        signal.release();
        if (worker != null) {
            try {
                worker.join(CONFIRM_TIMEOUT.toMillis() + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
