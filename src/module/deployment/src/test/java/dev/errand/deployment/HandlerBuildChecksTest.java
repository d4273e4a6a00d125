package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.errand.Subscribe;
import dev.errand.Task;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A handler that cannot work fails the service's build, with every mistake named at once, before
 * any message could find it out. The build stops before anything starts, so no broker is needed.
 */
class HandlerBuildChecksTest {

    public record Invoice(String id) {
    }

    @ApplicationScoped
    public static class Mistaken {

        @Incoming("no-payload")
        void noPayload(Task<Invoice> task) {
        }

        @Incoming("returns-something")
        String returnsSomething(Invoice invoice, Task<Invoice> task) {
            return "done";
        }

        @Incoming("unnamed-breaker")
        @CircuitBreaker
        void unnamedBreaker(Invoice invoice, Task<Invoice> task) {
        }

        @Incoming("twice")
        void first(Invoice invoice, Task<Invoice> task) {
        }

        @Incoming("twice")
        void second(Invoice invoice, Task<Invoice> task) {
        }

        @Incoming("bad-pattern")
        @Subscribe("lemonade.*.placed")
        void badPattern(Invoice invoice, Task<Invoice> task) {
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest BUILD = new QuarkusUnitTest()
            .setArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class).addClasses(Invoice.class, Mistaken.class))
            // No containers: the build is meant to stop before anything would start.
            .overrideConfigKey("quarkus.devservices.enabled", "false")
            .assertException(failure -> {
                String message = allMessages(failure);
                assertTrue(message.contains("Mistaken#noPayload: a handler has no payload type"), message);
                assertTrue(message.contains("Mistaken#returnsSomething: a handler returns void"), message);
                assertTrue(message.contains("Mistaken#unnamedBreaker: @CircuitBreaker needs @CircuitBreakerName"),
                        message);
                assertTrue(message.contains("channel \"twice\" already has a handler"), message);
                assertTrue(message.contains("Mistaken#badPattern: @Subscribe: the event pattern 'lemonade.*.placed'"),
                        message);
            });

    @Test
    void theBuildFailsNamingEachMistakenHandler() {
        fail("the build should have failed");
    }

    static String allMessages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
