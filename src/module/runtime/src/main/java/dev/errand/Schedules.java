package dev.errand;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Durable calls started at a fixed interval or on a cron expression: each tick starts one call, once across any number of
 * replicas, keyed by the tick's time ({@code <schedule>@<tick>}, through {@link DurableCalls#startOnce}).
 * Every replica registers the same schedules at start-up; whichever replica comes first to a due tick
 * starts it, the others find it started. An operator pauses, resumes and triggers a schedule (the pause is
 * kept in the database, for all replicas); {@code GET /errand/schedules} lists them.
 * <pre>{@code
 * void schedule(@Observes StartupEvent start, Schedules schedules, Reports reports) {
 *     schedules.every("nightly-report", Duration.ofHours(24), Schedules.Missed.RUN_ONCE, tick -> reports.build(tick));
 * }
 * }</pre>
 * Ticks fall on multiples of the interval from the epoch (every hour: on the hour, UTC), or on the cron
 * expression's fire times in its zone, so that all replicas agree on them without talking to each other.
 * A method can be scheduled by annotation too: {@link DurableSchedule} registers it here at start-up.
 */
public interface Schedules {

    /** The longest schedule name: its tick keys must fit in a business key. */
    int MAX_NAME_LENGTH = 100;

    /**
     * What a schedule does with the ticks it missed while no replica ran it (an outage, a pause): a tick
     * that is late but before the next one is due still runs; when more than one tick is due, the policy
     * decides.
     */
    enum Missed {
        /** The missed ticks are dropped: nothing runs until the next tick. */
        SKIP,
        /** One call runs at once for all of them, keyed by (and given) the latest missed tick. */
        RUN_ONCE
    }

    /**
     * Registers a schedule in this replica: every {@code every}, {@code start} makes exactly one durable
     * call for the tick it is given (e.g. {@code tick -> reports.build(tick)}). Registering a name again
     * replaces this replica's registration; the pause and the last tick, in the database, stay. A name that
     * a {@link DurableSchedule} method has is refused: a name is one schedule, and which registration won
     * would depend on the order of the start-up observers.
     *
     * @param name  1 to {@value #MAX_NAME_LENGTH} letters, digits, '.', '_' or '-'
     * @param every at least a second
     * @throws IllegalArgumentException if the name or the interval is not one
     * @throws IllegalStateException    naming the method, if a {@link DurableSchedule} method has the name
     */
    void every(String name, Duration every, Missed missed, Function<Instant, Call<?>> start);

    /**
     * Registers a schedule in this replica that ticks at the fire times of a cron expression, read in
     * {@code zone}; otherwise as {@link #every}. The expression is Quartz's, as Quarkus' {@code @Scheduled}
     * reads it: {@code second minute hour day-of-month month day-of-week [year]}, one of the two days
     * {@code ?} ({@code "0 0 2 * * ?"}: 02:00 every day; {@code "0 30 1 ? * MON-FRI"}: 01:30 on weekdays).
     * A daylight-saving change in {@code zone} moves wall-clock times: a time that does not exist that day
     * does not fire, a time that happens twice fires once, the first time (so a cron that fires several
     * times an hour has no tick in the repeated hour: docs/guide/durable.md); a zone without one (UTC,
     * the default of {@link DurableSchedule}) has none of that.
     *
     * @param name       as for {@link #every}
     * @param expression a Quartz cron expression that fires at least once more
     * @param zone       the time zone its wall-clock times are in
     * @throws IllegalArgumentException naming what is wrong, if the name, the expression or the zone is not one
     * @throws IllegalStateException    naming the method, if a {@link DurableSchedule} method has the name
     */
    void cron(String name, String expression, ZoneId zone, Missed missed, Function<Instant, Call<?>> start);

    /** The schedules this replica has registered, by name. */
    List<Schedule> list();

    /** The schedule, if this replica has registered it. */
    Optional<Schedule> get(String name);

    /** Stops the schedule's ticks on every replica, until {@link #resume}. False if there is no such schedule. */
    boolean pause(String name);

    /**
     * Lets a paused schedule tick again; the ticks it missed while paused follow its {@link Missed} policy.
     * False if there is no such schedule.
     */
    boolean resume(String name);

    /**
     * Starts the schedule's call now, paused or not, keyed {@code <schedule>@trigger@<now>}: no tick, and
     * the next tick runs as it would have. Empty if there is no such schedule.
     */
    Optional<Call<?>> trigger(String name);

    /**
     * A schedule, as the operator sees it.
     *
     * @param function the durable function its last call started, null before the first
     * @param every    its interval, null for a cron schedule
     * @param cron     its cron expression, null for a schedule at an interval
     * @param zone     the cron expression's time zone, null for a schedule at an interval
     * @param lastTick the last tick started (or skipped), null before the first
     * @param nextTick when it ticks next, null while paused
     */
    record Schedule(String name, String function, Duration every, String cron, ZoneId zone, Missed missed,
            boolean paused, Instant lastTick, Instant nextTick) {
    }
}
