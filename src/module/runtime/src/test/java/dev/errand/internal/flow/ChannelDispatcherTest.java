package dev.errand.internal.flow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher on its own, with work items that record what happened to them. */
class ChannelDispatcherTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final AtomicBoolean breakerOpen = new AtomicBoolean();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void onDrainWaitingWorkIsReleasedAndRunningWorkFinishes() throws Exception {
        ChannelDispatcher dispatcher = dispatcher(1, 10);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        dispatcher.submit(work("slow", 4, null, probe -> {
            running.countDown();
            awaitLatch(finish);
            return new ChannelDispatcher.Done(false);
        }));
        dispatcher.submit(work("waiting-1", 4, null, done()));
        dispatcher.submit(work("waiting-2", 4, null, done()));
        assertTrue(running.await(5, TimeUnit.SECONDS));

        timer.schedule(finish::countDown, 200, TimeUnit.MILLISECONDS);
        int stillRunning = dispatcher.drain(Duration.ofSeconds(5));

        assertEquals(0, stillRunning);
        assertEquals(List.of("slow"), ran);
        assertEquals(List.of("waiting-1", "waiting-2"), released);
        // Arriving after the drain: given back at once, never run.
        dispatcher.submit(work("late", 4, null, done()));
        assertEquals(List.of("waiting-1", "waiting-2", "late"), released);
    }

    @Test
    void withoutTheDatabaseWorkGoesBackKeyByKeyInOrderAndTheKeysRunAgainWhenItReturns() throws Exception {
        ChannelDispatcher dispatcher = dispatcher(2, 20);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        dispatcher.submit(work("a1", 4, "a", probe -> {
            running.countDown();
            awaitLatch(finish);
            return new ChannelDispatcher.Done(false);
        }));
        assertTrue(running.await(5, TimeUnit.SECONDS));
        dispatcher.databaseOut(true);
        // a2 and a3 wait behind the running a1; b1 and b2 are all of key b.
        dispatcher.submit(work("a2", 4, "a", done()));
        dispatcher.submit(work("b1", 4, "b", done()));
        dispatcher.submit(work("b2", 4, "b", done()));
        dispatcher.submit(work("a3", 4, "a", done()));
        assertEquals(List.of("b1", "b2"), released, "key b had nothing here: back at once, in order");

        finish.countDown();
        // a1 ends (here it ran; a run that met the outage gives its message back itself), then its followers go.
        await().atMost(Duration.ofSeconds(5)).until(() -> released.size() == 4);
        assertEquals(List.of("b1", "b2", "a2", "a3"), released);
        assertEquals(0, dispatcher.view().waiting(), "nothing held");

        dispatcher.databaseOut(false);
        dispatcher.submit(work("a4", 4, "a", done()));
        dispatcher.submit(work("b3", 4, "b", done()));
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.containsAll(List.of("a4", "b3")));
        assertEquals(List.of("a1", "a4", "b3"), ran.stream().sorted().toList(), "no key left blocked");
    }

    @Test
    void theMostUrgentWaitingWorkStartsFirstAndOneKeyRunsInOrderThroughARetry() throws Exception {
        ChannelDispatcher dispatcher = dispatcher(1, 10);
        CountDownLatch gate = new CountDownLatch(1);
        dispatcher.submit(work("blocker", 4, null, probe -> {
            awaitLatch(gate);
            return new ChannelDispatcher.Done(false);
        }));
        AtomicBoolean failedOnce = new AtomicBoolean();
        dispatcher.submit(work("a1", 4, "a", probe -> failedOnce.getAndSet(true)
                ? new ChannelDispatcher.Done(false)
                : new ChannelDispatcher.RunAgain(Duration.ofMillis(100), true)));
        dispatcher.submit(work("a2", 4, "a", done()));
        dispatcher.submit(work("urgent", 9, null, done()));
        gate.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 5);
        // urgent overtakes everything waiting; a1 fails, waits 100 ms holding key a, and a2 waits for it.
        assertEquals(List.of("blocker", "urgent", "a1", "a1", "a2"), ran);
    }

    @Test
    void whileTheBreakerIsOpenOnlyOneProbeAtATimeGoesThrough() {
        ChannelDispatcher dispatcher = dispatcher(4, 100);
        breakerOpen.set(true);
        dispatcher.breakerChanged("downstream", true);
        java.util.concurrent.atomic.AtomicInteger notProbesWhileOpen = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 5; i++) {
            dispatcher.submit(work("w" + i, 4, null, probe -> {
                if (breakerOpen.get() && !probe) {
                    notProbesWhileOpen.incrementAndGet();
                }
                return breakerOpen.get() ? new ChannelDispatcher.Parked() : new ChannelDispatcher.Done(false);
            }));
        }
        // Probe interval 50 ms: a few probes park and nothing else runs.
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.view().parked() >= 3);
        ChannelDispatcher.View paused = dispatcher.view();
        assertTrue(paused.pausedFor().contains(PauseReason.CIRCUIT_BREAKER_OPEN));
        // All five still there: waiting, but for the one probe that may be running just now.
        assertEquals(5, paused.waiting() + paused.running());
        assertTrue(paused.running() <= 1);

        breakerOpen.set(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.view().waiting() == 0);
        assertFalse(dispatcher.view().pausedFor().contains(PauseReason.CIRCUIT_BREAKER_OPEN));
        assertEquals(0, notProbesWhileOpen.get(), "only probes ran while the breaker was open");
    }

    @Test
    void intakeIsHeldBackWhileTheBufferIsFull() throws Exception {
        ChannelDispatcher dispatcher = dispatcher(1, 2);
        CountDownLatch gate = new CountDownLatch(1);
        dispatcher.submit(work("running", 4, null, probe -> {
            awaitLatch(gate);
            return new ChannelDispatcher.Done(false);
        }));
        await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.view().running() == 1);
        CompletionStage<Void> first = dispatcher.submit(work("w1", 4, null, done()));
        CompletionStage<Void> second = dispatcher.submit(work("w2", 4, null, done()));
        // buffer 2: the first waiting message leaves room for one more, the second fills it
        assertTrue(first.toCompletableFuture().isDone());
        assertFalse(second.toCompletableFuture().isDone(), "no room until one starts");
        gate.countDown();
        second.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void consumersSharingABackgroundBudgetRunNoMoreAtOnceThanItsLimitAndEachStillDrains() {
        BackgroundPermits budget = new BackgroundPermits();
        budget.addCapacity(16);
        budget.limitTo(2);
        java.util.concurrent.atomic.AtomicInteger runningNow = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        Function<Boolean, ChannelDispatcher.Result> busy = probe -> {
            mostAtOnce.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runningNow.decrementAndGet();
            return new ChannelDispatcher.Done(false);
        };
        ChannelDispatcher first = dispatcher("first", 8, 100, budget);
        ChannelDispatcher second = dispatcher("second", 8, 100, budget);
        for (int i = 0; i < 40; i++) {
            first.submit(work("first-" + i, 4, null, busy));
            second.submit(work("second-" + i, 4, null, busy));
        }
        assertTrue(first.view().pausedFor().contains(PauseReason.FOREGROUND_FIRST)
                || second.view().pausedFor().contains(PauseReason.FOREGROUND_FIRST), "one is held back");

        await().atMost(Duration.ofSeconds(20)).until(() -> ran.size() == 80);
        assertTrue(mostAtOnce.get() <= 2, "at most the budget's 2 at once, saw " + mostAtOnce.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> budget.inUse() == 0);
        assertTrue(first.view().pausedFor().isEmpty() && second.view().pausedFor().isEmpty());
    }

    private ChannelDispatcher dispatcher(String channel, int concurrency, int buffer, BackgroundPermits budget) {
        return new ChannelDispatcher(channel, concurrency, buffer, ConcurrencyLimit.fixed(concurrency), null,
                Duration.ofMillis(50), timer, paused -> {
                }, breakerOpen::get, 1, null, budget);
    }

    private ChannelDispatcher dispatcher(int concurrency, int buffer) {
        return new ChannelDispatcher("test", concurrency, buffer, ConcurrencyLimit.fixed(concurrency), null,
                Duration.ofMillis(50), timer, paused -> {
                }, breakerOpen::get);
    }

    private static Function<Boolean, ChannelDispatcher.Result> done() {
        return probe -> new ChannelDispatcher.Done(false);
    }

    private ChannelDispatcher.Work work(String name, int priority, String key,
            Function<Boolean, ChannelDispatcher.Result> run) {
        return new ChannelDispatcher.Work() {
            @Override
            public int priority() {
                return priority;
            }

            @Override
            public String orderingKey() {
                return key;
            }

            @Override
            public ChannelDispatcher.Result run(boolean probe) {
                ran.add(name);
                return run.apply(probe);
            }

            @Override
            public CompletionStage<Void> release() {
                released.add(name);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
        };
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
