package dev.errand.it.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.OutsideSenders;
import dev.errand.PermanentFailure;
import dev.errand.Subscribe;
import dev.errand.Task;

/**
 * Subscribers for the module's event tests: three to one type, one to a wildcard and one to an
 * exact type. Each records its handled events; an event naming one of them in {@code failFor} is
 * dead-lettered by that one only.
 */
@ApplicationScoped
public class TestSubscribers {

    public static final String TYPE = "test.thing-happened";
    public static final String A = "test-sub-a";
    public static final String B = "test-sub-b";
    public static final String C = "test-sub-c";
    public static final String WILDCARD = "test-sub-wild";
    public static final String EXACT = "test-sub-exact";

    private final EventLog log;

    public TestSubscribers(EventLog log) {
        this.log = log;
    }

    @OutsideSenders
    @Incoming(A)
    @Subscribe(TYPE)
    void a(TestEvent event, Task<TestEvent> task) {
        handle(A, event);
    }

    @OutsideSenders
    @Incoming(B)
    @Subscribe(TYPE)
    void b(TestEvent event, Task<TestEvent> task) {
        handle(B, event);
    }

    @OutsideSenders
    @Incoming(C)
    @Subscribe(TYPE)
    void c(TestEvent event, Task<TestEvent> task) {
        handle(C, event);
    }

    @OutsideSenders
    @Incoming(WILDCARD)
    @Subscribe("test.*")
    void wildcard(TestEvent event, Task<TestEvent> task) {
        handle(WILDCARD, event);
    }

    @OutsideSenders
    @Incoming(EXACT)
    @Subscribe("test.exact-only")
    void exact(TestEvent event, Task<TestEvent> task) {
        handle(EXACT, event);
    }

    private void handle(String subscriber, TestEvent event) {
        int attempt = log.attempt(subscriber, event.id());
        if (subscriber.equals(event.failFor()) && !log.healed(subscriber)) {
            if (event.transientFailures() == 0) {
                throw new PermanentFailure(subscriber + " refuses " + event.id());
            }
            if (attempt <= event.transientFailures()) {
                throw new IllegalStateException(subscriber + " fails " + event.id() + ", attempt " + attempt);
            }
        }
        log.record(subscriber, event.id());
    }
}
