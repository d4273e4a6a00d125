package dev.errand.internal.database;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;

/**
 * Whether this replica can get a database connection, as its consumers found out. A run that fails
 * because the database gave no connection (unreachable, out of connection slots, the pool's
 * acquisition timeout) is no attempt at the message: it says so here, every consumer pauses and gives
 * back what it holds, so that replicas which can work take it; one connection is tried every
 * {@code errand.database.probe-interval} until one comes, and the consumers resume.
 */
@Singleton
public class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);

    private final AgroalDataSource dataSource;
    private final DatabaseConfig config;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "errand-database-probe");
        thread.setDaemon(true);
        return thread;
    });
    private boolean out;
    private long since;

    DatabaseOutage(AgroalDataSource dataSource, DatabaseConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    /** Told {@code true} when the database gives no connection, {@code false} when it does again. */
    public void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    /**
     * A run failed with {@code error}: if it means the database gives no connection, the outage
     * begins (once), and the caller should give its message back unharmed.
     *
     * @return whether the error is the database's unavailability
     */
    public boolean reportedBy(Throwable error) {
        if (!DatabaseUnavailable.noConnection(error)) {
            return false;
        }
        if (!isOut() && connects()) {
            // A connection comes now: the run met a passing shortage (a burst of requests holding the
            // pool, a connection the server had just closed), an attempt that failed like any other.
            return false;
        }
        boolean began;
        synchronized (this) {
            began = !out;
            if (began) {
                out = true;
                since = System.nanoTime();
            }
        }
        if (began) {
            LOG.warnf("The database gives this replica no connection (%s): its consumers pause and give their messages"
                    + " back until it does", error.getMessage());
            // On the probe's thread, as the resume is: the consumers hear of both in the order they happened.
            notifyOnProber(true);
            scheduleProbe();
        }
        return true;
    }

    private boolean connects() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    private void notifyOnProber(boolean isOut) {
        try {
            prober.execute(() -> listeners.forEach(listener -> listener.accept(isOut)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down.
        }
    }

    public synchronized boolean isOut() {
        return out;
    }

    private void scheduleProbe() {
        try {
            prober.schedule(this::probe, config.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: nothing resumes any more.
        }
    }

    private void probe() {
        if (!connects()) {
            LOG.debug("Still no database connection");
            scheduleProbe();
            return;
        }
        long seconds;
        synchronized (this) {
            out = false;
            seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
        }
        LOG.infof("The database gives connections again after %d s: the consumers resume", seconds);
        listeners.forEach(listener -> listener.accept(false));
    }

    @PreDestroy
    void stop() {
        prober.shutdownNow();
    }
}
