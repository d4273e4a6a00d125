package dev.errand;

/**
 * The work of one step ({@link Task#step}, {@link Workflow#step}): its idempotency key in, its result
 * (recorded) out. The key is stable across attempts, redeliveries and replays: pass it to the remote
 * system, so that a step whose process died between its call and its record cannot take effect twice.
 *
 * @param <T> the result's type: a {@code String} for a task's step, any JSON type for a workflow's
 */
@FunctionalInterface
public interface StepWork<T> {

    T run(String key) throws Exception;
}
