package dev.errand.internal.handling;

import dev.errand.Task;

/**
 * What a consumer runs for each message, inside the message's transaction. A handler is done when it
 * returns ({@link RunOutcome#DONE}); a workflow's run may instead ask to come back later.
 */
@FunctionalInterface
public interface MessageRun<T> {

    RunOutcome run(Task<T> task) throws Exception;
}
