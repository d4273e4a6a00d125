package dev.errand.it.functions;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Call;
import dev.errand.DurableFunction;
import dev.errand.DurableSchedule;
import dev.errand.Schedules;

/**
 * Schedules by annotation. The yearly one is on in every test run (its first tick is months away: a test
 * triggers it); the two others are off unless configured, as in ScheduleInstancesIT's two instances, so that
 * the other tests' counts never see their ticks.
 */
@ApplicationScoped
public class AnnotatedSchedules {

    public static final String YEARLY = "it-annotated-yearly";
    public static final String EVERY = "it-instances-every";
    public static final String CRON = "it-instances-cron";
    /** The function the interval schedule starts, itself annotated: a call per tick, no argument. */
    public static final String EVERY_FUNCTION = "test-scheduled-every";

    private final ScheduledFunctions functions;

    AnnotatedSchedules(ScheduledFunctions functions) {
        this.functions = functions;
    }

    /** Not a durable function: it returns the call it starts, given the tick. */
    @DurableSchedule(name = YEARLY, cron = "0 0 0 1 1 ?", zone = "Europe/Paris")
    public Call<String> yearly(Instant tick) {
        return functions.scheduled(YEARLY, tick.toString());
    }

    @DurableFunction(name = EVERY_FUNCTION)
    @DurableSchedule(name = EVERY, every = "${it.schedules.instances.every:off}")
    public Call<Void> every() {
        return Call.done();
    }

    @DurableSchedule(name = CRON, cron = "${it.schedules.instances.cron:off}", zone = "Europe/Paris",
            missed = Schedules.Missed.RUN_ONCE)
    public Call<String> cron(Instant tick) {
        return functions.scheduled(CRON, tick.toString());
    }
}
