package dev.errand.it.work;

import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.OutsideSenders;
import dev.errand.Task;
import io.smallrye.faulttolerance.api.RateLimit;

/**
 * Consumers for the module's own tests: they fail, wait and record as each message asks. One runs
 * a message at a time, one eight, one eight but at most 20 a second, and one gives up at the first
 * failure.
 */
@ApplicationScoped
public class TestWorkProcessor {

    public static final String SERIAL = "test-serial";
    public static final String SERIAL_QUEUE = "errand.test-serial";
    public static final String PARALLEL = "test-parallel";
    public static final String PARALLEL_QUEUE = "errand.test-parallel";
    public static final String LIMITED = "test-limited";
    public static final String LIMITED_QUEUE = "errand.test-limited";
    /** Dead-letters at its first failure: for the tests of dead letters and of the wire contract. */
    public static final String ONCE = "test-once";
    public static final String ONCE_QUEUE = "errand.test-once";

    private final WorkLog log;

    public TestWorkProcessor(WorkLog log) {
        this.log = log;
    }

    @OutsideSenders
    @Incoming(SERIAL)
    void serial(TestWork work, Task<TestWork> task) throws Exception {
        work(work, task);
    }

    @OutsideSenders
    @Incoming(PARALLEL)
    void parallel(TestWork work, Task<TestWork> task) throws Exception {
        work(work, task);
    }

    // 20 a second: Errand's flow makes messages wait for it; Fault Tolerance's own limit, which would
    // throw, is switched off for this method.
    @OutsideSenders
    @Incoming(LIMITED)
    @RateLimit(value = 20, window = 1, windowUnit = ChronoUnit.SECONDS)
    void limited(TestWork work, Task<TestWork> task) throws Exception {
        work(work, task);
    }

    @OutsideSenders
    @Incoming(ONCE)
    void once(TestWork work, Task<TestWork> task) throws Exception {
        work(work, task);
    }

    private void work(TestWork work, Task<TestWork> task) throws Exception {
        log.started();
        long start = System.nanoTime();
        boolean fail = log.nextTry(work.id()) <= work.failures();
        try {
            if (work.gate() && !log.gate().await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
            if (work.millis() > 0) {
                Thread.sleep(work.millis());
            }
        } finally {
            log.ended(new WorkLog.Attempt(work.id(), task.orderingKey(), task.attempt(), !fail, start, System.nanoTime()));
        }
        if (fail) {
            throw new IllegalStateException("planned failure of " + work.id() + ", attempt " + task.attempt());
        }
    }
}
