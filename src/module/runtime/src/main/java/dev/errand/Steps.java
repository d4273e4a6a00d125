package dev.errand;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The record of the steps of multi-step work ({@link Task#step}). Each step of a message is recorded,
 * with its result, as soon as it is done; a later attempt or redelivery of the message skips the
 * recorded steps and goes on from the first missing one.
 * <p>
 * Errand's own implementation keeps the record in the database (inject {@code Steps} to read it). A
 * handler's unit test builds its {@link Task} with {@link #inMemory()} instead, and needs no database.
 */
public interface Steps {

    /** One recorded step. */
    record Done(String step, String result, Instant doneAt) {
    }

    /**
     * Runs {@code work} once for this step of this consumer's message, or returns the result recorded by
     * an earlier attempt. Work that throws records nothing, so the next attempt runs it again.
     * <p>
     * Errand runs the work outside the handler's transaction (it is usually a remote call) and commits
     * its record at once, in a transaction of its own. If the process dies after the work but before the
     * record, the step runs again: make its work idempotent.
     *
     * @param consumer the consumer (a message can reach several, each with steps of its own)
     * @param messageId the message's idempotency id ({@link Origin#idempotencyId})
     * @param step the step's name, unique within the handler
     */
    String once(String consumer, String messageId, String step, Callable<String> work) throws Exception;

    /** The steps recorded for a consumer's message, in the order they were done. */
    List<Done> done(String consumer, String messageId);

    /**
     * A record in memory, for a handler's unit test: {@code Task.builder(payload).steps(Steps.inMemory())}.
     * Share one between two tasks of the same message to see a retry skip the steps done.
     */
    static Steps inMemory() {
        return new InMemorySteps();
    }
}
