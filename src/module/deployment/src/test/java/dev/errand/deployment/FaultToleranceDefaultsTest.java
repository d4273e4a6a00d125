package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.Index;
import org.jboss.jandex.MethodInfo;
import org.junit.jupiter.api.Test;

import dev.errand.Task;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.RateLimit;

/** What a handler's Fault Tolerance annotations mean for its consumer, read from its bytecode. */
class FaultToleranceDefaultsTest {

    public record Grant(String user) {
    }

    @ApplicationScoped
    public static class Gateway {
        @org.eclipse.microprofile.faulttolerance.CircuitBreaker
        @CircuitBreakerName("promotions")
        public String grant(String user) {
            return user;
        }
    }

    @ApplicationScoped
    public static class Granter {
        Gateway gateway;

        @Incoming("grants")
        @Retry(maxRetries = 3)
        @Bulkhead(12)
        @RateLimit(value = 50, window = 100, windowUnit = java.time.temporal.ChronoUnit.MILLIS)
        void grant(Grant grant, Task<Grant> task) {
            gateway.grant(grant.user());
        }

        @Incoming("plain")
        void plain(Grant grant, Task<Grant> task) {
            Runnable later = () -> gateway.grant(grant.user());
            later.run();
        }
    }

    @ApplicationScoped
    @RateLimit(10)
    public static class LimitedClass {
        @Incoming("limited")
        void handle(Grant grant, Task<Grant> task) {
        }

        public void elsewhere() {
        }
    }

    @Test
    void aRateLimitOnTheClassIsSwitchedOffForTheHandlerAloneNotForTheClasssOtherMethods() throws Exception {
        Index index = Index.of(Grant.class, LimitedClass.class);
        ClassInfo limited = index.getClassByName(LimitedClass.class);
        MethodInfo method = limited.firstMethod("handle");
        HandlerMethod handler = new HandlerMethod("limited", limited, method, 1, List.of(), List.of());

        assertEquals(Map.of("rate-limit", "10.0"), ErrandProcessor.consumerDefaults(handler));
        assertEquals(Map.of(LimitedClass.class.getName() + "/handle/RateLimit/enabled", "false"),
                ErrandProcessor.ftDefaults(handler));
    }

    @Test
    void retryBulkheadRateLimitAndTheBreakerOfACalledBeanBecomeTheConsumersSettings() throws Exception {
        Index index = Index.of(Grant.class, Gateway.class, Granter.class);
        HandlerMethod handler = handler(index, "grant");

        assertEquals(List.of("promotions"), handler.breakers());
        // 50 permits a 100 ms window: 500 a second.
        assertEquals(Map.of("max-retries", "0", "concurrency", "12", "rate-limit", "500.0",
                "circuit-breakers", "promotions"), ErrandProcessor.consumerDefaults(handler));
        // The limit waits in Errand's flow: Fault Tolerance's own, which would throw, is switched off.
        assertEquals(Map.of(Granter.class.getName() + "/grant/RateLimit/enabled", "false"),
                ErrandProcessor.ftDefaults(handler));
    }

    @Test
    void aBreakerReachedThroughALambdaIsFoundToo() throws Exception {
        Index index = Index.of(Grant.class, Gateway.class, Granter.class);
        HandlerMethod handler = handler(index, "plain");

        assertEquals(List.of("promotions"), handler.breakers());
        assertEquals(Map.of("circuit-breakers", "promotions"), ErrandProcessor.consumerDefaults(handler));
    }

    private static HandlerMethod handler(Index index, String name) {
        ClassInfo granter = index.getClassByName(Granter.class);
        MethodInfo method = granter.firstMethod(name);
        BreakerFinder finder = new BreakerFinder(index, FaultToleranceDefaultsTest.class.getClassLoader());
        return new HandlerMethod(name, granter, method, 1, finder.breakersOf(method), List.of());
    }
}
