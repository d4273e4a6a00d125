package dev.errand.internal.schedules;

import java.time.Instant;

import dev.errand.Call;

/**
 * A {@code @DurableSchedule} method, as the build generates a bean for it (ScheduleProcessor): the
 * annotation's values as written, and a start that calls the method through its bean, with no reflection.
 */
public interface ScheduledMethod {

    /** {@code Class#method}, for messages. */
    String method();

    String name();

    String every();

    String cron();

    String zone();

    String missed();

    /** Calls the method through its bean (so its interceptors start the durable call), given the tick if it takes one. */
    Call<?> start(Instant tick);
}
