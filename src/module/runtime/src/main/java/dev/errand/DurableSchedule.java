package dev.errand;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts a method's durable call on a schedule, once per tick across any number of replicas: the
 * annotation's way to {@link Schedules#every} and {@link Schedules#cron}, which each replica registers at
 * start-up. The method is a {@link DurableFunction} or {@link DurableWorkflow} (each tick is a call of it),
 * or any bean method that returns the {@link Call} it started; it takes no argument or the tick's time
 * ({@code Instant}).
 * <pre>{@code
 * @DurableWorkflow(name = "nightly-export")
 * @DurableSchedule(cron = "${exports.nightly.cron:0 0 2 * * ?}", zone = "Europe/Paris", missed = Missed.RUN_ONCE)
 * public Call<Integer> exportChanged(Instant tick) { ... }
 * }</pre>
 * Exactly one of {@link #every} and {@link #cron} is set, or the build fails naming the method. Each
 * attribute but {@link #name} may be a configuration expression ({@code ${property}} or
 * {@code ${property:default}}), read at start-up; a value of {@code off} or {@code disabled} leaves the
 * schedule out of this service (a test, a dev mode), as with Quarkus' {@code @Scheduled}. A value that is
 * no interval, cron expression or zone fails the build, or the start when it comes from configuration.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DurableSchedule {

    /**
     * The schedule's name, in its tick keys and at {@code GET /errand/schedules}; by default the bean class's
     * simple name, a dot and the method. Two methods with one name fail the build; a name that code
     * registered through {@link Schedules} first fails the start, and code cannot register it after.
     */
    String name() default "";

    /** The interval: ISO-8601 ({@code PT1H}) or Quarkus' short form ({@code 1h}, {@code 30s}); a second at least. */
    String every() default "";

    /** A Quartz cron expression ({@code "0 0 2 * * ?"}: 02:00 every day), read in {@link #zone}. */
    String cron() default "";

    /** The time zone of {@link #cron}'s wall-clock times; UTC by default, which has no daylight saving. */
    String zone() default "UTC";

    /** What happens to the ticks missed while no replica ran or the schedule was paused. */
    Schedules.Missed missed() default Schedules.Missed.SKIP;
}
