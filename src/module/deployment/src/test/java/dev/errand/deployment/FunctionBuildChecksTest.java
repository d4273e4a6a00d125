package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.errand.Call;
import dev.errand.DurableFunction;
import dev.errand.DurableWorkflow;
import io.quarkus.test.QuarkusUnitTest;

/** A durable function that cannot work fails the build, with every mistake named at once. */
class FunctionBuildChecksTest {

    @ApplicationScoped
    public static class Mistaken {

        @DurableFunction
        public String returnsAValue(long id) {
            return "not a handle";
        }

        @DurableFunction(name = "same")
        public Call<Void> first(long id) {
            return Call.done();
        }

        @DurableFunction(name = "same")
        public Call<Void> second(long id) {
            return Call.done();
        }

        @DurableWorkflow
        @Retry
        public Call<Void> retriedWorkflow() {
            return Call.done();
        }

        @DurableFunction(name = "has spaces")
        public Call<Void> badName() {
            return Call.done();
        }

        @DurableFunction(timeout = "soon")
        public Call<Void> badTimeout() {
            return Call.done();
        }

        @DurableWorkflow(timeout = "-5s")
        public Call<Void> negativeTimeout() {
            return Call.done();
        }

        @DurableWorkflow(outsideSignals = { "paid", "paid", "has spaces" })
        public Call<Void> badSignals() {
            return Call.done();
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest BUILD = new QuarkusUnitTest()
            .setArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class).addClasses(Mistaken.class))
            .overrideConfigKey("quarkus.devservices.enabled", "false")
            .assertException(failure -> {
                String message = HandlerBuildChecksTest.allMessages(failure);
                assertTrue(message.contains("Mistaken#returnsAValue: a durable function returns Call<R>"), message);
                assertTrue(message.contains("the durable function name \"same\" is taken"), message);
                assertTrue(message.contains("Mistaken#retriedWorkflow: @Retry does not fit a workflow"), message);
                assertTrue(message.contains("Mistaken#badName: a durable function's name is"), message);
                assertTrue(message.contains("Mistaken#badTimeout: timeout = \"soon\" is no duration"), message);
                assertTrue(message.contains("Mistaken#negativeTimeout: timeout = \"-5s\" is no positive duration"),
                        message);
                assertTrue(message.contains("Mistaken#badSignals: outsideSignals names \"paid\" twice"), message);
                assertTrue(message.contains("Mistaken#badSignals: outsideSignals: an outside signal's name is"), message);
            });

    @Test
    void theBuildFailsNamingEachMistakenDurableFunction() {
        fail("the build should have failed");
    }
}
