package dev.errand.internal.schedules;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * Ticks at the fire times of a Quartz cron expression ({@code second minute hour day-of-month month
 * day-of-week [year]}, as Quarkus' {@code @Scheduled} reads it by default), read in a time zone. Fire times
 * are whole seconds of wall-clock time: cron-utils finds them on the wall clock alone (a zone without
 * daylight saving), and this class turns each into the instant the zone's clock first shows it. So a
 * wall-clock time that a daylight-saving change skips does not fire, and one it repeats fires once, the
 * first time (docs/guide/durable.md). cron-utils' own reading of a zone does neither consistently: its last
 * execution gives the second of a repeated time, its next execution gives it or not depending on where it
 * starts, and a replica that looked back found a second tick its next execution had skipped.
 */
record Cron(String expression, ZoneId zone, ExecutionTime times) implements Cadence {

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /**
     * Fire times one look passes over at most: one per daylight-saving change it meets (a fire time in a
     * gap), and a zone changes its clock a few times a year; more means a zone rule this class misreads.
     */
    private static final int MAX_PASSED = 100;

    /**
     * @throws IllegalArgumentException naming the expression, if it is no Quartz cron expression, never
     *                                  fires, or the zone is none
     */
    static Cron of(String expression, ZoneId zone) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a cron schedule needs an expression, was " + expression);
        }
        if (zone == null) {
            throw new IllegalArgumentException("a cron schedule needs a time zone (e.g. UTC), for " + expression);
        }
        ExecutionTime times;
        try {
            times = ExecutionTime.forCron(QUARTZ.parse(expression.trim()).validate());
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new IllegalArgumentException("\"" + expression + "\" is no Quartz cron expression (second minute"
                    + " hour day-of-month month day-of-week [year], e.g. \"0 0 2 * * ?\" at 02:00 every day): "
                    + e.getMessage(), e);
        }
        Cron cron = new Cron(expression.trim(), zone, times);
        if (cron.next(Instant.now()) == null) {
            throw new IllegalArgumentException("cron \"" + expression + "\" never fires again");
        }
        return cron;
    }

    @Override
    public Instant latest(Instant now) {
        // A fire time at now's second is at or before now: the wall clock's last second to look from.
        LocalDateTime upTo = wallClock(now.truncatedTo(ChronoUnit.SECONDS));
        ZoneOffsetTransition repeat = repeating(now);
        if (repeat != null) {
            // Every time of the repeated stretch was first shown before now, up to the second before the
            // clock went back.
            upTo = repeat.getDateTimeBefore().minusSeconds(1);
        }
        for (int passed = 0; passed < MAX_PASSED; passed++) {
            // cron-utils' last execution is strictly before the time it is given.
            LocalDateTime fire = lastFire(upTo.plusSeconds(1));
            if (fire == null) {
                return null;
            }
            ZoneOffsetTransition gap = skipping(fire);
            if (gap == null) {
                return firstShown(fire);
            }
            // The clock skips this time: look before the skipped stretch.
            upTo = gap.getDateTimeBefore().minusSeconds(1);
        }
        throw new IllegalStateException(tooMany(now));
    }

    @Override
    public Instant next(Instant after) {
        LocalDateTime from = wallClock(after);
        ZoneOffsetTransition repeat = repeating(after);
        if (repeat != null) {
            // The repeated stretch's times fired the first time it was shown, before: the next fire time is
            // at the end of the stretch or later.
            from = repeat.getDateTimeBefore().minusSeconds(1);
        }
        for (int passed = 0; passed < MAX_PASSED; passed++) {
            // cron-utils' next execution is strictly after the time it is given.
            LocalDateTime fire = nextFire(from);
            if (fire == null) {
                return null;
            }
            ZoneOffsetTransition gap = skipping(fire);
            if (gap == null) {
                return firstShown(fire);
            }
            // The clock skips this time: look after the skipped stretch.
            from = gap.getDateTimeAfter().minusSeconds(1);
        }
        throw new IllegalStateException(tooMany(after));
    }

    private LocalDateTime wallClock(Instant instant) {
        return LocalDateTime.ofInstant(instant, zone);
    }

    /** The clock going back whose repeated stretch the clock shows the second time at {@code instant}, if any. */
    private ZoneOffsetTransition repeating(Instant instant) {
        ZoneOffsetTransition change = zone.getRules().getTransition(wallClock(instant));
        boolean secondTime = change != null && change.isOverlap()
                && change.getOffsetAfter().equals(zone.getRules().getOffset(instant));
        return secondTime ? change : null;
    }

    /** The clock going forward that skips this wall-clock time, if any. */
    private ZoneOffsetTransition skipping(LocalDateTime wallClock) {
        ZoneOffsetTransition change = zone.getRules().getTransition(wallClock);
        return change != null && change.isGap() ? change : null;
    }

    /** The instant the zone's clock first shows a time it shows (the earlier offset of a repeated time). */
    private Instant firstShown(LocalDateTime wallClock) {
        return ZonedDateTime.ofLocal(wallClock, zone, null).toInstant();
    }

    /** The last fire time strictly before {@code before}, on the wall clock alone. */
    private LocalDateTime lastFire(LocalDateTime before) {
        return onWallClock(times.lastExecution(before.atZone(ZoneOffset.UTC)));
    }

    /** The first fire time strictly after {@code after}, on the wall clock alone. */
    private LocalDateTime nextFire(LocalDateTime after) {
        return onWallClock(times.nextExecution(after.atZone(ZoneOffset.UTC)));
    }

    /** UTC has no daylight saving: cron-utils reads wall-clock times in it as they are. */
    private static LocalDateTime onWallClock(Optional<ZonedDateTime> fire) {
        return fire.map(ZonedDateTime::toLocalDateTime).orElse(null);
    }

    private String tooMany(Instant from) {
        return "cron \"" + expression + "\" in " + zone + ": more than " + MAX_PASSED
                + " fire times the clock skips, from " + from;
    }
}
