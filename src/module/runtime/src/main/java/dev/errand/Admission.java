package dev.errand;

import java.util.OptionalLong;

/**
 * Keeps a queue from growing without bound: a producer asks before it takes work for a queue, and
 * is refused while the queue, plus what the outbox still holds for it, is at its maximum depth
 * ({@code errand.backpressure."<address>".max-depth}). A queue without that setting always has room;
 * so does one whose depth cannot be read (the broker is down): the outbox holds the work until the
 * broker is back.
 * <pre>{@code
 * @POST
 * public Response order(Order order) {
 *     admission.admit("errand.orders");   // 429 with Retry-After while the queue is full
 *     ...
 * }
 * }</pre>
 */
public interface Admission {

    /**
     * Returns when the queue has room; may use a reading up to half a second old, so that a burst of
     * requests asks the broker once.
     *
     * @throws ProblemException a 429 {@code overloaded}, with the queue's {@code retry-after}, when
     *                          the queue is at or over its maximum depth
     */
    void admit(String address);

    /** Whether the queue has room, read now: for a producer that waits between batches. */
    boolean hasRoom(String address);

    /** Messages waiting on the broker's queue, when the broker can tell. */
    OptionalLong depth(String address);
}
