package dev.errand.internal.backpressure;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.errand.internal.broker.QueueDepths;
import dev.errand.Admission;
import dev.errand.Outbox;
import dev.errand.ProblemException;
import dev.errand.internal.broker.RecentFlow;

/**
 * Keeps queues from growing without bound: a producer asks {@link #admit} before taking work for a
 * queue, and is refused with a 429 while the queue (plus what the outbox still holds for it) is
 * deeper than {@code errand.backpressure."<address>".max-depth}. A queue without that setting is
 * never refused. When the broker cannot be asked (it is down), work is admitted: the outbox holds it
 * until the broker is back, which is what the outbox is for.
 */
@ApplicationScoped
public class Backpressure implements Admission {

    private static final Logger LOG = Logger.getLogger(Backpressure.class);

    /** Requests may share a reading this old, so a burst asks the broker and the database once. */
    static final long CACHE_MILLIS = 500;

    /** While one request asks the broker, the others may use a reading up to this old. */
    static final long MAX_STALE_MILLIS = 5_000;

    private record Reading(long waiting, long atNanos) {
    }

    private final BackpressureConfig config;
    private final QueueDepths depths;
    private final Outbox outbox;
    private final RecentFlow recent;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> refreshing = new ConcurrentHashMap<>();

    public Backpressure(BackpressureConfig config, QueueDepths depths, Outbox outbox, RecentFlow recent) {
        this.config = config;
        this.depths = depths;
        this.outbox = outbox;
        this.recent = recent;
    }

    /** @throws Overloaded when the queue is at or over its maximum depth */
    @Override
    public void admit(String address) {
        BackpressureConfig.Limit limit = config.queues().get(address);
        long waiting = waiting(address, limit, false);
        if (waiting >= 0 && waiting >= limit.maxDepth()) {
            throw new Overloaded(address, waiting, limit);
        }
    }

    /**
     * Whether the queue is below its maximum depth (or has none, or cannot be asked), asked of the
     * broker now: for producers that wait between batches.
     */
    @Override
    public boolean hasRoom(String address) {
        BackpressureConfig.Limit limit = config.queues().get(address);
        long waiting = waiting(address, limit, true);
        return waiting < 0 || waiting < limit.maxDepth();
    }

    @Override
    public OptionalLong depth(String address) {
        return depths.depth(address);
    }

    /** Messages waiting for the address, queue and outbox together; -1 when unlimited or unknown. */
    private long waiting(String address, BackpressureConfig.Limit limit, boolean fresh) {
        if (limit == null) {
            return -1;
        }
        // A request may use a reading half a second old; a batch producer must not, or it sends
        // several batches on one reading.
        Reading cached = readings.get(address);
        if (!fresh && cached != null) {
            long age = System.nanoTime() - cached.atNanos();
            if (age < TimeUnit.MILLISECONDS.toNanos(CACHE_MILLIS)) {
                return cached.waiting();
            }
            // One request asks again; the others keep the last reading meanwhile. Under a burst the broker
            // answers slowly, and every request that came while it did used to wait for the same answer
            // (JFR, burst at 300/s: about a third of the request threads' busy time, parked in that wait).
            AtomicBoolean asking = refreshing.computeIfAbsent(address, a -> new AtomicBoolean());
            if (asking.compareAndSet(false, true)) {
                try {
                    return read(address);
                } finally {
                    asking.set(false);
                }
            }
            if (age < TimeUnit.MILLISECONDS.toNanos(MAX_STALE_MILLIS)) {
                return cached.waiting();
            }
            // The one asking is stuck: ask as well rather than admit on a reading this old.
        }
        return read(address);
    }

    private long read(String address) {
        OptionalLong depth = depths.depth(address);
        if (depth.isEmpty()) {
            LOG.debugf("Depth of %s unknown; admitting", address);
            return -1;
        }
        // A reading that lags (RabbitMQ) has not counted the latest flow: add what this instance sent
        // to the queue and took off it since. Flow older than the reading is counted twice, which
        // errs towards refusing while the queue grows and towards admitting while it shrinks.
        long waiting = Math.max(0, depth.getAsLong() + outbox.backlog(address).messages()
                + recent.netWithin(address, depths.staleness()));
        readings.put(address, new Reading(waiting, System.nanoTime()));
        return waiting;
    }

    /** Forgets the cached readings and any unreachable broker (tests that change the broker, then look at once). */
    public void forget() {
        readings.clear();
        depths.retryNow();
    }

    /** The queue is full: the producer answers 429 with Retry-After. */
    public static class Overloaded extends ProblemException {

        Overloaded(String address, long waiting, BackpressureConfig.Limit limit) {
            super(429, "overloaded", "Too much work waiting", "Queue " + address + " holds " + waiting
                    + " messages, more than its maximum of " + limit.maxDepth() + "; try again later",
                    limit.retryAfter());
        }
    }
}
