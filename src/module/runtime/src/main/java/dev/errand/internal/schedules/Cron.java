package dev.errand.internal.schedules;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * Ticks at the fire times of a Quartz cron expression ({@code second minute hour day-of-month month
 * day-of-week [year]}, as Quarkus' {@code @Scheduled} reads it by default), read in a time zone, by
 * cron-utils. Fire times are seconds: a tick is the instant of a fire time in the zone. A wall-clock time
 * that a daylight-saving change skips or repeats is whatever cron-utils makes of it (docs/guide/durable.md
 * states it; CronTest pins it).
 */
record Cron(String expression, ZoneId zone, ExecutionTime times) implements Cadence {

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

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
        // cron-utils' last execution is strictly before the time it is given, in whole seconds: a fire time
        // at now's second (at or before now) is before the next second.
        ZonedDateTime nextSecond = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).atZone(zone);
        return times.lastExecution(nextSecond).map(ZonedDateTime::toInstant).orElse(null);
    }

    @Override
    public Instant next(Instant after) {
        return times.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant).orElse(null);
    }
}
