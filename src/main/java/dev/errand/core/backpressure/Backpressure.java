package dev.errand.core.backpressure;

import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.errand.core.config.ErrandConfig;
import dev.errand.core.outbox.Outbox;

/**
 * Keeps queues from growing without bound: a producer asks {@link #admit} before taking work for a
 * queue, and is refused with a 429 while the queue (plus what the outbox still holds for it) is
 * deeper than {@code errand.backpressure."<address>".max-depth}. A queue without that setting is
 * never refused. When the broker cannot be asked (it is down), work is admitted: the outbox holds it
 * until the broker is back, which is what the outbox is for.
 */
@ApplicationScoped
public class Backpressure {

    private static final Logger LOG = Logger.getLogger(Backpressure.class);

    private final ErrandConfig config;
    private final QueueDepths depths;
    private final Outbox outbox;

    public Backpressure(ErrandConfig config, QueueDepths depths, Outbox outbox) {
        this.config = config;
        this.depths = depths;
        this.outbox = outbox;
    }

    /** @throws Overloaded when the queue is at or over its maximum depth */
    public void admit(String address) {
        ErrandConfig.Backpressure limit = config.backpressure().get(address);
        long waiting = waiting(address, limit, false);
        if (waiting >= 0 && waiting >= limit.maxDepth()) {
            throw new Overloaded(address, waiting, limit);
        }
    }

    /**
     * Whether the queue is below its maximum depth (or has none, or cannot be asked), asked of the
     * broker now: for producers that wait between batches.
     */
    public boolean hasRoom(String address) {
        ErrandConfig.Backpressure limit = config.backpressure().get(address);
        long waiting = waiting(address, limit, true);
        return waiting < 0 || waiting < limit.maxDepth();
    }

    /** Messages waiting for the address, queue and outbox together; -1 when unlimited or unknown. */
    private long waiting(String address, ErrandConfig.Backpressure limit, boolean fresh) {
        if (limit == null) {
            return -1;
        }
        // A request may use a depth half a second old; a batch producer must not, or it sends
        // several batches on one reading.
        OptionalLong depth = fresh ? depths.freshDepth(address) : depths.depth(address);
        if (depth.isEmpty()) {
            LOG.debugf("Depth of %s unknown; admitting", address);
            return -1;
        }
        return depth.getAsLong() + outbox.backlog(address).messages();
    }

    /** How long the producer should wait when refused. */
    public long retryAfterSeconds(String address) {
        ErrandConfig.Backpressure limit = config.backpressure().get(address);
        return limit == null ? 1 : Math.max(1, limit.retryAfter().toSeconds());
    }

    /** The queue is full: the producer answers 429 with Retry-After. */
    public static class Overloaded extends RuntimeException {
        private final long retryAfterSeconds;

        Overloaded(String address, long waiting, ErrandConfig.Backpressure limit) {
            super("Queue " + address + " holds " + waiting + " messages, more than its maximum of " + limit.maxDepth()
                    + "; try again later");
            this.retryAfterSeconds = Math.max(1, limit.retryAfter().toSeconds());
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
