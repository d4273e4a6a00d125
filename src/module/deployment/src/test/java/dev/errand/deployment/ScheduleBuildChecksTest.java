package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.errand.Call;
import dev.errand.DurableFunction;
import dev.errand.DurableSchedule;
import io.quarkus.test.QuarkusUnitTest;

/** A {@code @DurableSchedule} that cannot work fails the build, each mistake named with its method. */
class ScheduleBuildChecksTest {

    @ApplicationScoped
    public static class Mistaken {

        @DurableFunction
        @DurableSchedule(every = "1h", cron = "0 0 2 * * ?")
        public Call<Void> both() {
            return Call.done();
        }

        @DurableFunction
        @DurableSchedule
        public Call<Void> neither() {
            return Call.done();
        }

        @DurableFunction
        @DurableSchedule(cron = "at two every night")
        public Call<Void> badCron() {
            return Call.done();
        }

        @DurableFunction
        @DurableSchedule(cron = "0 0 2 * * ?", zone = "Mars/Olympus")
        public Call<Void> badZone() {
            return Call.done();
        }

        @DurableFunction
        @DurableSchedule(every = "10ms")
        public Call<Void> tooOften() {
            return Call.done();
        }

        @DurableFunction
        @DurableSchedule(every = "1h")
        public Call<Void> otherArguments(String what) {
            return Call.done();
        }

        @DurableSchedule(every = "1h")
        public String noCall(Instant tick) {
            return "no handle";
        }

        @DurableFunction
        @DurableSchedule(every = "${not.checked.by.the.build}")
        public Call<Void> configured() {
            return Call.done();
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest BUILD = new QuarkusUnitTest()
            .setArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class).addClasses(Mistaken.class))
            .overrideConfigKey("quarkus.devservices.enabled", "false")
            .assertException(failure -> {
                String message = HandlerBuildChecksTest.allMessages(failure);
                assertTrue(message.contains("Mistaken#both: @DurableSchedule takes exactly one of every"), message);
                assertTrue(message.contains("Mistaken#neither: @DurableSchedule takes exactly one of every"), message);
                assertTrue(message.contains("Mistaken#badCron: \"at two every night\" is no Quartz cron expression"),
                        message);
                assertTrue(message.contains("Mistaken#badZone: zone \"Mars/Olympus\" is no time zone"), message);
                assertTrue(message.contains("Mistaken#tooOften: a schedule ticks every second at most"), message);
                assertTrue(message.contains("Mistaken#otherArguments: a scheduled method takes no argument or the tick's"),
                        message);
                assertTrue(message.contains("Mistaken#noCall: @DurableSchedule goes on a method that returns Call<R>"),
                        message);
                assertTrue(!message.contains("Mistaken#configured"), message);
            });

    @Test
    void theBuildFailsNamingEachMistakenSchedule() {
        fail("the build should have failed");
    }
}
