package dev.errand.internal.foreground;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;

/**
 * How late the event loops run a task: each interval one probe is queued on every loop, and its delay
 * is the time it waited. A probe still waiting at the next look counts its wait so far, so a loop that
 * is stuck altogether reads as late, not as silent. The loops serve HTTP and AMQP alike; a late loop
 * delays every request it carries.
 */
final class EventLoopDelay {

    private static final class Loop {
        final EventExecutor executor;
        final AtomicLong queuedAt = new AtomicLong();
        final AtomicLong lastDelay = new AtomicLong();

        Loop(EventExecutor executor) {
            this.executor = executor;
        }
    }

    private final List<Loop> loops = new ArrayList<>();

    EventLoopDelay(Vertx vertx) {
        for (EventExecutor executor : vertx.nettyEventLoopGroup()) {
            loops.add(new Loop(executor));
        }
    }

    /** The longest delay seen since the last look, and new probes sent. */
    long take(long nowNanos) {
        long longest = 0;
        for (Loop loop : loops) {
            long queued = loop.queuedAt.get();
            if (queued != 0) {
                longest = Math.max(longest, nowNanos - queued);
                continue;
            }
            longest = Math.max(longest, loop.lastDelay.getAndSet(0));
            loop.queuedAt.set(nowNanos);
            try {
                loop.executor.execute(() -> {
                    loop.lastDelay.set(System.nanoTime() - loop.queuedAt.get());
                    loop.queuedAt.set(0);
                });
            } catch (RuntimeException e) {
                // Shutting down: the loop takes no more tasks.
                loop.queuedAt.set(0);
            }
        }
        return longest;
    }
}
