package dev.errand.internal.schedules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.errand.BackgroundWork;
import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.Schedules;
import dev.errand.internal.handling.LoopThread;
import dev.errand.internal.time.ErrandClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;

/**
 * {@link Schedules}: the registrations in memory (each replica makes its own, from its code), the pause and
 * the last tick in {@code errand_schedule} (shared). One thread per replica looks at the schedules at least
 * every second and starts each due tick in a transaction that holds the schedule's row: a second replica
 * waits on the row, then finds the tick taken. The keyed start ({@code <name>@<tick>}) is what makes a tick
 * one call even if the row's last tick were lost or set back: the key finds the call already started.
 */
@ApplicationScoped
public class ScheduleRunner implements Schedules {

    private static final Logger LOG = Logger.getLogger(ScheduleRunner.class);
    private static final String LOOP = "schedules";
    /** How long a replica waits at most before it looks again: for pauses and resumes made on others. */
    private static final long LOOK_AT_LEAST_EVERY_MILLIS = 1000;

    /** @param annotatedOn the {@code @DurableSchedule} method ({@code Class#method}), null if registered from code */
    private record Registration(String name, Cadence cadence, Missed missed, Function<Instant, Call<?>> start,
            String annotatedOn) {
    }

    /** What one look at a schedule did: the call it started, if any. */
    public record Tick(Instant tick, Call<?> call) {
    }

    private final AgroalDataSource dataSource;
    private final DurableCalls calls;
    private final BackgroundWork background;
    /** Errand's time: ticks within what a test skips ahead are due. */
    private final ErrandClock clock;
    private final Map<String, Registration> registered = new ConcurrentHashMap<>();
    private final LoopThread loop = new LoopThread("errand-schedules", this::run);

    ScheduleRunner(AgroalDataSource dataSource, DurableCalls calls, BackgroundWork background, ErrandClock clock) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.calls = calls;
        this.background = background;
    }

    @Override
    public void every(String name, Duration every, Missed missed, Function<Instant, Call<?>> start) {
        ScheduleValues.checkName(name);
        register(new Registration(name, new Every(every), missed, start, null));
    }

    @Override
    public void cron(String name, String expression, ZoneId zone, Missed missed, Function<Instant, Call<?>> start) {
        ScheduleValues.checkName(name);
        register(new Registration(name, Cron.of(expression, zone), missed, start, null));
    }

    /**
     * Registers a {@code @DurableSchedule} method's schedule (AnnotatedSchedules), as its own: no other
     * registration takes its name, and it takes no name already registered.
     *
     * @throws IllegalStateException naming the other registration, if the name is registered already
     */
    void annotated(ScheduledMethod method, Cadence cadence, Missed missed) {
        ScheduleValues.checkName(method.name());
        register(new Registration(method.name(), cadence, missed, method::start, method.method()));
    }

    private void register(Registration registration) {
        Objects.requireNonNull(registration.missed(), "missed");
        Objects.requireNonNull(registration.start(), "start");
        // A name is one schedule: which of two registrations of it won would depend on the order of the
        // start-up observers. Code may replace its own registration (Schedules.every says so), nothing else.
        registered.compute(registration.name(), (name, before) -> {
            if (before != null && before.annotatedOn() != null) {
                throw new IllegalStateException("the schedule name \"" + name + "\" is taken by @DurableSchedule on "
                        + before.annotatedOn() + "; a name is one schedule: give one of them another name");
            }
            if (before != null && registration.annotatedOn() != null) {
                throw new IllegalStateException("the schedule name \"" + name + "\" is taken by a registration through"
                        + " Schedules.every or Schedules.cron; a name is one schedule: give one of them another name");
            }
            return registration;
        });
        startLoop();
    }

    @Override
    public List<Schedule> list() {
        List<Schedule> all = new ArrayList<>();
        for (Registration registration : registered.values()) {
            all.add(describe(registration));
        }
        all.sort(Comparator.comparing(Schedule::name));
        return all;
    }

    @Override
    public Optional<Schedule> get(String name) {
        Registration registration = name == null ? null : registered.get(name);
        return Optional.ofNullable(registration).map(this::describe);
    }

    @Override
    public boolean pause(String name) {
        return setPaused(name, true);
    }

    @Override
    public boolean resume(String name) {
        boolean resumed = setPaused(name, false);
        if (resumed) {
            wakeUp();
        }
        return resumed;
    }

    @Override
    public Optional<Call<?>> trigger(String name) {
        Registration registration = name == null ? null : registered.get(name);
        if (registration == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return Optional.of(QuarkusTransaction.joiningExisting().call(() -> {
            ensureRow(registration.name());
            Call<?> call = start(registration, registration.name() + "@trigger@" + now, now);
            update("update errand_schedule set function = ?, updated_at = now() where name = ?",
                    function(call), registration.name());
            return call;
        }));
    }

    /**
     * One look at a schedule, as the loop makes it (public for the tests, which race two of them): starts
     * its due tick, in a transaction of its own, unless it is paused, not due, or another look took it.
     */
    public Optional<Tick> tick(String name, Instant now) {
        Registration registration = registered.get(name);
        if (registration == null) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ensureRow(name);
            Row row = lockRow(name);
            if (row.paused()) {
                return Optional.empty();
            }
            Due due = Due.at(registration.cadence(), row.lastTick(), now, registration.missed());
            if (due.step() == Due.Step.NOTHING) {
                return Optional.empty();
            }
            if (due.step() != Due.Step.START) {
                // A new schedule's first look, or ticks missed and skipped: the tick is the last, nothing starts.
                if (due.step() == Due.Step.SKIP) {
                    LOG.infof("Schedule %s: the ticks after %s up to %s missed, skipped; the next is at %s", name,
                            row.lastTick(), due.tick(), registration.cadence().next(due.tick()));
                }
                update("update errand_schedule set last_tick = ?, updated_at = now() where name = ?",
                        Timestamp.from(due.tick()), name);
                return Optional.empty();
            }
            Call<?> call = start(registration, name + "@" + due.tick(), due.tick());
            update("update errand_schedule set last_tick = ?, function = ?, updated_at = now() where name = ?",
                    Timestamp.from(due.tick()), function(call), name);
            return Optional.of(new Tick(due.tick(), call));
        });
    }

    private Call<?> start(Registration registration, String key, Instant tick) {
        return calls.startOnce(key, () -> {
            @SuppressWarnings("unchecked")
            Call<Object> call = (Call<Object>) registration.start().apply(tick);
            return call;
        });
    }

    private String function(Call<?> call) {
        return calls.status(call).map(CallStatus::function).orElse(null);
    }

    private Schedule describe(Registration registration) {
        Row row = QuarkusTransaction.joiningExisting().call(() -> readRow(registration.name()));
        Instant next = row.paused() ? null : registration.cadence().next(clock.instant());
        Duration every = registration.cadence() instanceof Every interval ? interval.every() : null;
        Cron cron = registration.cadence() instanceof Cron expression ? expression : null;
        return new Schedule(registration.name(), row.function(), every, cron == null ? null : cron.expression(),
                cron == null ? null : cron.zone(), registration.missed(), row.paused(), row.lastTick(), next);
    }

    private boolean setPaused(String name, boolean paused) {
        if (name == null || !registered.containsKey(name)) {
            return false;
        }
        QuarkusTransaction.joiningExisting().run(() -> {
            ensureRow(name);
            update("update errand_schedule set paused = ?, updated_at = now() where name = ?", paused, name);
        });
        return true;
    }

    private record Row(boolean paused, Instant lastTick, String function) {
    }

    private void ensureRow(String name) {
        update("insert into errand_schedule (name) values (?) on conflict (name) do nothing", name);
    }

    private Row lockRow(String name) {
        return select("select paused, last_tick, function from errand_schedule where name = ? for update", name);
    }

    private Row readRow(String name) {
        return select("select paused, last_tick, function from errand_schedule where name = ?", name);
    }

    private Row select(String sql, String name) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return new Row(false, null, null);
                }
                Timestamp last = rows.getTimestamp(2);
                return new Row(rows.getBoolean(1), last == null ? null : last.toInstant(), rows.getString(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read schedule " + name, e);
        }
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update the schedules", e);
        }
    }

    private void startLoop() {
        loop.start();
    }

    private void run() {
        while (!loop.stopping()) {
            Instant now = clock.instant();
            long wait = LOOK_AT_LEAST_EVERY_MILLIS;
            boolean failed = false;
            for (Registration registration : List.copyOf(registered.values())) {
                if (loop.stopping()) {
                    return;
                }
                try {
                    tick(registration.name(), now);
                } catch (RuntimeException e) {
                    failed = true;
                    background.failed(LOOP, e);
                    LOG.warnf("Schedule %s: could not start its tick (%s); trying again", registration.name(), e);
                }
                Instant next = registration.cadence().next(now);
                if (next != null) {
                    wait = Math.min(wait, Math.max(1, Duration.between(clock.instant(), next).toMillis()));
                }
            }
            if (!failed) {
                background.succeeded(LOOP);
            }
            if (!loop.pause(wait)) {
                return;
            }
        }
    }

    private void wakeUp() {
        loop.wakeUp();
    }

    /** Looks at the schedules at once, not at the next tick: after a test skipped Errand's time ahead. */
    public void lookNow() {
        wakeUp();
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) ShutdownEvent shutdown) {
        loop.stop(Duration.ofSeconds(10));
        background.ended(LOOP);
    }
}
