package dev.errand.testing.work;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.errand.core.contract.WireContract;
import dev.errand.core.handling.Errands;
import io.smallrye.reactive.messaging.amqp.IncomingAmqpMetadata;

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

    private final Errands errands;
    private final WorkLog log;

    public TestWorkProcessor(Errands errands, WorkLog log) {
        this.errands = errands;
        this.log = log;
    }

    @Incoming(SERIAL)
    public CompletionStage<Void> serial(Message<?> message) {
        return work(SERIAL, message);
    }

    @Incoming(PARALLEL)
    public CompletionStage<Void> parallel(Message<?> message) {
        return work(PARALLEL, message);
    }

    @Incoming(LIMITED)
    public CompletionStage<Void> limited(Message<?> message) {
        return work(LIMITED, message);
    }

    private CompletionStage<Void> work(String channel, Message<?> message) {
        String key = message.getMetadata(IncomingAmqpMetadata.class)
                .map(amqp -> amqp.getProperties() == null ? null : amqp.getProperties().getString(WireContract.ORDERING_KEY))
                .orElse(null);
        return errands.process(channel, message, TestWork.class, task -> {
            TestWork work = task.payload();
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
                log.ended(new WorkLog.Attempt(work.id(), key, task.attempt(), !fail, start, System.nanoTime()));
            }
            if (fail) {
                throw new IllegalStateException("planned failure of " + work.id() + ", attempt " + task.attempt());
            }
        });
    }
}
