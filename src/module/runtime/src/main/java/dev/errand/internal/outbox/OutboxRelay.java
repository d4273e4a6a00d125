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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.errand.BackgroundWork;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.Backoff;
import dev.errand.internal.sending.ErrandSender;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;

/**
 * Publishes the outbox: woken by each commit that wrote to it, and every {@code sweep-interval}
 * regardless. A batch is locked ({@code for update skip locked}, so several instances share the work),
 * sent, and deleted only once the broker has stored every message of it; if the broker is down the
 * transaction rolls back, the rows stay, and the relay tries again with backoff. Message order
 * follows the outbox id within a batch.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final String SELECT = """
            select id, address, message_id, subject, correlation_id, priority, content_type, body, properties
            from errand_outbox order by id limit ? for update skip locked""";

    private final AgroalDataSource dataSource;
    private final ErrandSender sender;
    private final OutboxConfig config;
    private final BackgroundWork background;
    private static final String LOOP = "outbox-relay";
    private final Semaphore signal = new Semaphore(0);
    private volatile boolean stopping;
    private Thread worker;

    public OutboxRelay(AgroalDataSource dataSource, ErrandSender sender, OutboxConfig config,
            BackgroundWork background) {
        this.dataSource = dataSource;
        this.sender = sender;
        this.config = config;
        this.background = background;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.relayEnabled()) {
            // A worker-only instance: the API instances publish what is written to the outbox.
            LOG.info("Outbox relay disabled (errand.outbox.relay-enabled=false)");
            return;
        }
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
        while (!stopping) {
            try {
                signal.tryAcquire(config.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
                while (!stopping && publishBatch() == config.batch()) {
                    // A full batch: there may be more right behind it.
                }
                backoff.reset();
                background.succeeded(LOOP);
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

    /** @return how many messages were published */
    int publishBatch() {
        return QuarkusTransaction.requiringNew().timeout((int) CONFIRM_TIMEOUT.toSeconds() + 10).call(() -> {
            List<Long> ids = new ArrayList<>();
            List<CompletableFuture<Void>> stored = new ArrayList<>();
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement select = connection.prepareStatement(SELECT)) {
                    select.setInt(1, config.batch());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getLong(1));
                            stored.add(sender.send(message(rows)).toCompletableFuture());
                        }
                    }
                }
                if (ids.isEmpty()) {
                    return 0;
                }
                CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new))
                        .get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                try (PreparedStatement delete = connection.prepareStatement("delete from errand_outbox where id = any(?)")) {
                    Array array = connection.createArrayOf("bigint", ids.toArray());
                    delete.setArray(1, array);
                    delete.executeUpdate();
                }
            }
            LOG.debugf("Outbox relay published %d messages", ids.size());
            return ids.size();
        });
    }

    private static OutboundMessage message(ResultSet row) throws SQLException {
        String properties = row.getString(9);
        Map<String, Object> map = properties == null ? Map.of() : new LinkedHashMap<>(new JsonObject(properties).getMap());
        return new OutboundMessage(row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getInt(6),
                row.getString(8), row.getString(7), map);
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
