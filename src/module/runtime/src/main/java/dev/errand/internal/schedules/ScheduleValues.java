package dev.errand.internal.schedules;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.errand.Schedules;
import io.quarkus.runtime.configuration.DurationConverter;

/**
 * A schedule's values as written ({@code @DurableSchedule}'s strings, or {@link Schedules}' arguments), read
 * and checked the same way by the build (ScheduleProcessor, for what is written in the annotation) and at
 * start-up (for what comes from configuration).
 */
public final class ScheduleValues {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + Schedules.MAX_NAME_LENGTH + "}");

    private ScheduleValues() {
    }

    /** @throws IllegalArgumentException if the name is not one */
    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a schedule's name is 1 to " + Schedules.MAX_NAME_LENGTH
                    + " letters, digits, '.', '_' or '-', was " + name);
        }
    }

    /** An interval as Quarkus reads a Duration setting ({@code PT1H} or {@code 1h}), a second at least. */
    public static Duration interval(String every) {
        Duration interval;
        try {
            interval = DurationConverter.parseDuration(every.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("every \"" + every + "\" is no interval (PT1H, 1h, 30s)", e);
        }
        return new Every(interval).every();
    }

    /** @throws IllegalArgumentException if the zone is no time zone */
    public static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("zone \"" + zone + "\" is no time zone (UTC, Europe/Paris)", e);
        }
    }

    /** @throws IllegalArgumentException if the expression is no Quartz cron expression that fires again */
    public static void checkCron(String expression, ZoneId zone) {
        Cron.of(expression, zone);
    }

    /** {@code off} or {@code disabled}: the schedule is left out, as Quarkus' {@code @Scheduled} reads them. */
    public static boolean off(String value) {
        String lower = value.trim().toLowerCase(Locale.ROOT);
        return lower.equals("off") || lower.equals("disabled");
    }

    /** True if the value holds a configuration expression, read at start-up, which the build cannot check. */
    public static boolean configured(String value) {
        return value.contains("${");
    }
}
