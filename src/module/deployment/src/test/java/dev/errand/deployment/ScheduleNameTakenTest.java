package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.errand.Call;
import dev.errand.DurableSchedule;
import dev.errand.Schedules;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A {@code @DurableSchedule} whose name code registered first fails the start, naming both: otherwise the
 * order of the start-up observers would decide which of the two the name runs.
 */
class ScheduleNameTakenTest {

    static final String NAME = "reports-hourly";

    @ApplicationScoped
    public static class Reports {

        @DurableSchedule(name = NAME, every = "1h")
        public Call<Void> hourly() {
            return Call.done();
        }
    }

    @ApplicationScoped
    public static class CodeSchedules {

        // Before the annotated schedules are registered (their observer has the default priority).
        void schedule(@Observes @Priority(1) StartupEvent start, Schedules schedules) {
            schedules.every(NAME, Duration.ofHours(2), Schedules.Missed.SKIP, tick -> Call.done());
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest SERVICE = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Reports.class, CodeSchedules.class))
            .assertException(failure -> {
                String message = HandlerBuildChecksTest.allMessages(failure);
                assertTrue(message.contains("Reports#hourly: the schedule name \"" + NAME
                        + "\" is taken by a registration through Schedules.every or Schedules.cron"), message);
            });

    @Test
    void theStartFailsNamingTheMethodAndTheRegistrationFromCode() {
        fail("the start should have failed");
    }
}
