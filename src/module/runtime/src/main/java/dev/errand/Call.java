package dev.errand;

import java.util.Objects;

/**
 * A durable call: the handle a {@link DurableFunction} or {@link DurableWorkflow} returns to its
 * caller, and the value its body returns to Errand.
 * <ul>
 * <li>To the caller, it is the call's id; {@link DurableCalls} reads its status and result, and a
 * workflow waits for it with {@link Workflow#awaitAll}.</li>
 * <li>In the body, {@code return Call.returning(value)} gives the result, stored as JSON when the
 * call completes.</li>
 * </ul>
 *
 * @param <R> the result's type
 */
public final class Call<R> {

    private final String id;
    private final R returned;

    private Call(String id, R returned) {
        this.id = id;
        this.returned = returned;
    }

    /** A handle to the call with this id, e.g. one kept in a table. */
    public static <R> Call<R> of(String id) {
        return new Call<>(Objects.requireNonNull(id, "id"), null);
    }

    /** What a function's body returns: its result. */
    public static <R> Call<R> returning(R value) {
        return new Call<>(null, value);
    }

    /** What a function without a result returns. */
    public static Call<Void> done() {
        return new Call<>(null, null);
    }

    /** The call's id; null on the value a body returns. */
    public String id() {
        return id;
    }

    /** The value a body returned; null on a caller's handle. */
    public R returned() {
        return returned;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Call<?> call && Objects.equals(id, call.id) && Objects.equals(returned, call.returned);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, returned);
    }

    @Override
    public String toString() {
        return id != null ? "Call[" + id + "]" : "Call[returning " + returned + "]";
    }
}
