package dev.errand.testing.work;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.Task;

/**
 * Consumers for the module's own tests: they fail, wait and record as each message asks. One runs
 * a message at a time, one eight, and one eight but at most 20 a second.
 */
@ApplicationScoped
public class TestWorkProcessor {

    public static final String SERIAL = "test-serial";
    public static final String SERIAL_QUEUE = "errand.test-serial";
    public static final String PARALLEL = "test-parallel";
    public static final String PARALLEL_QUEUE = "errand.test-parallel";
    public static final String LIMITED = "test-limited";
    public static final String LIMITED_QUEUE = "errand.test-limited";

    private final WorkLog log;

    public TestWorkProcessor(WorkLog log) {
        this.log = log;
    }

    @Incoming(SERIAL)
    void serial(TestWork work, Task<TestWork> task) throws Exception {
        work(work, task);
    }

    @Incoming(PARALLEL)
    void parallel(TestWork work, Task<TestWork> task) throws Exception {
        work(work, task);
    }

    @Incoming(LIMITED)
    void limited(TestWork work, Task<TestWork> task) throws Exception {
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
