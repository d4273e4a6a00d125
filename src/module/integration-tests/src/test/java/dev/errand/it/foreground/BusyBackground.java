package dev.errand.it.foreground;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.errand.internal.flow.BackgroundPermits;
import dev.errand.internal.foreground.ForegroundFirst;
import dev.errand.it.work.TestWorkMessages;
import dev.errand.testing.AnySender;
import dev.errand.testing.Users;

/**
 * One measurement for both tests: CPU-bound handlers drain a full queue while an endpoint that needs
 * the CPU too is called at a steady rate; what the requests took, and the lowest background limit seen.
 */
final class BusyBackground {

    /** 25 requests a second of 15 ms of CPU each: a third of a core, which the service has while it yields. */
    static final int REQUESTS_PER_SECOND = 25;
    static final int CPU_MILLIS_PER_REQUEST = 15;
    /** Generous against the 20 ms target: a test on a shared machine, not a benchmark. */
    static final double P99_BOUND_MILLIS = 150;

    record Measured(RequestLoad.Result requests, int lowestLimit, int ceiling, List<String> seen) {
        @Override
        public String toString() {
            return requests + "; lowest background limit " + lowestLimit + " of " + ceiling + "; the controller saw: "
                    + String.join(" | ", seen);
        }
    }

    private BusyBackground() {
    }

    static Measured measure(URI compute, BusyWork busy, BackgroundPermits permits, ForegroundFirst foreground)
            throws Exception {
        busy.burning(true);
        try (AnySender sender = new AnySender()) {
            sender.sendAll(BusyWork.QUEUE, IntStream.range(0, 3_000)
                    .mapToObj(i -> TestWorkMessages.work("busy-" + i).taking(20).build()).toList());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> view("started") >= 16);
        AtomicInteger lowest = new AtomicInteger(Integer.MAX_VALUE);
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger ticks = new AtomicInteger();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleAtFixedRate(() -> {
            lowest.accumulateAndGet(permits.limit(), Math::min);
            if (ticks.getAndIncrement() % 50 == 0) {
                seen.add(foreground.view().summary());
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        RequestLoad.Result result;
        try {
            result = RequestLoad.run(URI.create(compute + "?millis=" + CPU_MILLIS_PER_REQUEST), REQUESTS_PER_SECOND,
                    Duration.ofSeconds(10), Duration.ofSeconds(3));
        } finally {
            watch.shutdownNow();
            // The rest of the queue drains at once, and leaves the other tests' service idle.
            busy.burning(false);
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> view("waiting") == 0 && view("running") == 0);
        return new Measured(result, lowest.get(), permits.ceiling(), seen);
    }

    /** The busy consumer's figure, as an operator sees it. */
    private static long view(String figure) {
        return Users.asViewer().get("/errand/consumers").jsonPath()
                .getLong("find { it.channel == '" + BusyWork.CHANNEL + "' }." + figure);
    }
}
