package dev.errand.internal.flow;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.github.bucket4j.Bucket;

/**
 * Runs the messages of one consumer: what SmallRye's {@code @Blocking} pool does, plus what it
 * cannot:
 * <ul>
 * <li><b>order per key:</b> messages with the same ordering key run one after the other, in arrival
 * order, a retry holding its key's place; different keys and unkeyed messages run in parallel;</li>
 * <li><b>priority:</b> of the messages waiting here, the most urgent starts first;</li>
 * <li><b>a concurrency limit</b>, fixed or adaptive ({@link AimdLimit});</li>
 * <li><b>foreground first:</b> each run also holds a permit of the service's whole background
 * ({@link BackgroundPermits}), which shrinks while the service's requests suffer; held back, the
 * consumer waits to be woken and its intake fills its buffer, then stops;</li>
 * <li><b>a rate limit that waits:</b> no token, no start, and the channel pauses until the bucket
 * refills;</li>
 * <li><b>a breaker that pauses:</b> while a circuit breaker is open nothing starts but one probe
 * every {@code probeInterval}; a message that met the open breaker comes back here, unharmed;</li>
 * <li><b>bounded intake:</b> {@link #submit} completes only while fewer than {@code buffer} messages
 * wait, so the connector stops taking messages from the broker when the consumer cannot keep up;</li>
 * <li><b>drain:</b> on shutdown nothing new starts, waiting messages go back to the broker and
 * running ones get a grace period.</li>
 * <li><b>a database outage gives back:</b> while the replica gets no database connection nothing
 * starts, and every message it holds or is handed goes back to the broker, for the replicas that
 * can work; the channel stops asking for more.</li>
 * <li><b>group commit:</b> with a {@link BatchRunner}, a worker that starts while messages wait takes
 * several at once (at most {@code maxBatch}, and no more than its share of what waits among the free
 * workers), which the runner handles in one transaction. A batch never waits to fill: it is made of
 * messages that could have started anyway, so it holds one worker and counts as one against the
 * concurrency limit, which bounds handlers running at the same moment.</li>
 * </ul>
 * All state is guarded by {@code this}; work runs outside the lock.
 */
public final class ChannelDispatcher<W extends ChannelDispatcher.Work> {

    private static final Logger LOG = Logger.getLogger(ChannelDispatcher.class);

    /** One message as the dispatcher sees it. */
    public interface Work {

        /** AMQP priority, 0 to 9; higher starts first. */
        int priority();

        /** Messages sharing a key run in order, one at a time; null for none. */
        String orderingKey();

        /**
         * Runs one attempt on a worker thread and, unless it asks to run again, settles the message.
         *
         * @param probe whether it is the one message let through to probe an open circuit breaker
         */
        Result run(boolean probe);

        /**
         * Gives the message back to the broker unprocessed (shutdown). Must not block: it may be
         * called on the connector's event loop, which is the thread that sends the release.
         */
        CompletionStage<Void> release();
    }

    /**
     * Runs several messages of the consumer on one worker, as one unit of work (one transaction).
     * Returns one result per message, in order; each message is settled as in {@link Work#run}.
     */
    @FunctionalInterface
    public interface BatchRunner<W extends Work> {
        List<Result> runAll(List<W> batch);
    }

    /** What became of one run. */
    public sealed interface Result permits Done, RunAgain, Parked {
        /** Whether downstream pushed back during the run (for the adaptive limit). */
        boolean overloaded();
    }

    /**
     * Processed: accepted, dead-lettered, scheduled on the broker or released. The worker and the key
     * are free at once; {@code settled} completes when the broker has been told, which only the
     * drain waits for.
     */
    public record Done(boolean overloaded, CompletionStage<Void> settled) implements Result {
        public Done(boolean overloaded) {
            this(overloaded, CompletableFuture.completedFuture(null));
        }
    }

    /** Failed; runs again here after {@code delay}, keeping its key's place. */
    public record RunAgain(Duration delay, boolean overloaded) implements Result {
    }

    /** Met an open circuit breaker: not an attempt; waits here until the breaker lets it through. */
    public record Parked() implements Result {
        @Override
        public boolean overloaded() {
            return false;
        }
    }

    /** A snapshot for operators. */
    public record View(String channel, int concurrencyLimit, int running, int peakRunning, int waiting, long started,
            long parked, Set<PauseReason> pausedFor) {
    }

    private static final Comparator<Entry> ORDER = Comparator.comparingInt((Entry e) -> -e.work.priority())
            .thenComparingLong(e -> e.sequence);

    private static final class Entry {
        final Work work;
        final long sequence;
        boolean probe;
        /** The others started with it on the same worker, when it leads a batch. */
        List<Entry> batch;

        Entry(Work work, long sequence) {
            this.work = work;
            this.sequence = sequence;
        }
    }

    private final String channel;
    private final int buffer;
    private final ConcurrencyLimit limit;
    private final Bucket rateLimit;
    private final long probeIntervalNanos;
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor workers;
    private final Consumer<Boolean> pauseChannel;
    private final BooleanSupplier anyBreakerOpen;
    private final int maxBatch;
    private final BatchRunner<W> batchRunner;
    private final BackgroundPermits background;
    /**
     * One object, so that waiting for a background permit twice registers one wake-up. It hands the
     * pump to this consumer's timer, as the rate limit's wake-up does: it runs on whichever thread freed
     * a permit, and the pump completes the intake's stages, whose continuations must not run there.
     */
    private final Runnable wakeUp = this::pumpOnTimer;

    private final KeyLanes<Entry> lanes = new KeyLanes<>(ORDER, entry -> entry.work.orderingKey());
    private final ArrayDeque<CompletableFuture<Void>> intake = new ArrayDeque<>();
    private final EnumSet<PauseReason> pausedFor = EnumSet.noneOf(PauseReason.class);
    private int running;
    private int settling;
    private int peakRunning;
    private int waiting;
    /** Of those waiting, the ones that wait for a delay to pass (RunAgain), not for a worker. */
    private int delayed;
    private long sequence;
    private boolean probeInFlight;
    private long nextProbeNanos;
    private boolean wakeUpScheduled;
    private boolean channelPaused;
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    /** When a message last started or finished here: the liveness check's sign of progress. */
    private long lastProgressNanos = System.nanoTime();

    /**
     * @param maxConcurrency threads of this consumer: the ceiling of {@code limit}
     * @param pauseChannel   pauses ({@code true}) or resumes the channel's intake from the broker
     * @param anyBreakerOpen asks the consumer's circuit breakers, after a probe, whether one is still open
     */
    public ChannelDispatcher(String channel, int maxConcurrency, int buffer, ConcurrencyLimit limit, Bucket rateLimit,
            Duration probeInterval, ScheduledExecutorService timer, Consumer<Boolean> pauseChannel,
            BooleanSupplier anyBreakerOpen) {
        this(channel, maxConcurrency, buffer, limit, rateLimit, probeInterval, timer, pauseChannel, anyBreakerOpen, 1,
                null, new BackgroundPermits());
    }

    /**
     * @param maxBatch    messages one worker may take at once when several wait (1: no batches)
     * @param batchRunner runs a batch; null for no batches
     * @param background  the service's background budget, one permit per run (an unshared one for none)
     */
    public ChannelDispatcher(String channel, int maxConcurrency, int buffer, ConcurrencyLimit limit, Bucket rateLimit,
            Duration probeInterval, ScheduledExecutorService timer, Consumer<Boolean> pauseChannel,
            BooleanSupplier anyBreakerOpen, int maxBatch, BatchRunner<W> batchRunner, BackgroundPermits background) {
        if (buffer < 1) {
            throw new IllegalArgumentException("buffer must be at least 1, was " + buffer);
        }
        this.channel = channel;
        this.buffer = buffer;
        this.limit = limit;
        this.rateLimit = rateLimit;
        this.probeIntervalNanos = probeInterval.toNanos();
        this.timer = timer;
        this.pauseChannel = pauseChannel;
        this.anyBreakerOpen = anyBreakerOpen;
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + maxBatch);
        }
        this.maxBatch = batchRunner == null ? 1 : maxBatch;
        this.batchRunner = batchRunner;
        this.background = background;
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(maxConcurrency, maxConcurrency, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "errand-" + channel + "-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.workers.allowCoreThreadTimeOut(true);
    }

    /**
     * Takes a message. The stage completes once there is room for another, which is when the
     * channel may hand over the next one: holding it back is what pauses the intake.
     */
    public CompletionStage<Void> submit(W work) {
        CompletableFuture<Void> room;
        synchronized (this) {
            if (pausedFor.contains(PauseReason.SHUTTING_DOWN)) {
                room = null;
            } else if (pausedFor.contains(PauseReason.DATABASE_UNAVAILABLE)) {
                // Back to the broker at once, unless a message of its key is still here: then after it.
                waiting++;
                lanes.add(new Entry(work, sequence++));
                List<Entry> back = takeForGiveBack();
                return back.isEmpty() ? CompletableFuture.completedFuture(null)
                        : releaseInOrder(back, CompletableFuture.completedFuture(null));
            } else {
                waiting++;
                lanes.add(new Entry(work, sequence++));
                if (waiting < buffer) {
                    room = CompletableFuture.completedFuture(null);
                } else {
                    room = new CompletableFuture<>();
                    intake.add(room);
                }
            }
        }
        if (room == null) {
            // Arrived after the drain began: back to the broker, the channel moving on once it is sent.
            return work.release();
        }
        pump();
        return room;
    }

    private void pumpOnTimer() {
        try {
            timer.execute(this::pump);
        } catch (RejectedExecutionException e) {
            // The consumers' timer has stopped: the service is shutting down and nothing new starts.
        }
    }

    /** Starts what may start now. */
    private void pump() {
        List<Entry> toStart = new ArrayList<>();
        List<CompletableFuture<Void>> roomMade = new ArrayList<>();
        boolean heldBack = false;
        boolean unusedPermit = false;
        synchronized (this) {
            long now = System.nanoTime();
            while (lanes.hasReady() && running < limit.current()) {
                boolean probe = false;
                if (pausedFor.contains(PauseReason.SHUTTING_DOWN) || pausedFor.contains(PauseReason.OPERATOR)
                        || pausedFor.contains(PauseReason.DATABASE_UNAVAILABLE)) {
                    break;
                }
                if (pausedFor.contains(PauseReason.CIRCUIT_BREAKER_OPEN)) {
                    if (probeInFlight || now < nextProbeNanos) {
                        wakeUpAt(nextProbeNanos - now);
                        break;
                    }
                    probe = true;
                }
                if (!background.tryAcquire()) {
                    pausedFor.add(PauseReason.FOREGROUND_FIRST);
                    heldBack = true;
                    break;
                }
                if (rateLimit != null && !rateLimit.tryConsume(1)) {
                    unusedPermit = true;
                    pausedFor.add(PauseReason.RATE_LIMITED);
                    wakeUpAt(Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                            rateLimit.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
                    break;
                }
                pausedFor.remove(PauseReason.RATE_LIMITED);
                pausedFor.remove(PauseReason.FOREGROUND_FIRST);
                Entry entry = lanes.next();
                entry.probe = probe;
                if (probe) {
                    probeInFlight = true;
                    nextProbeNanos = now + probeIntervalNanos;
                }
                int free = limit.current() - running;
                running++;
                peakRunning = Math.max(peakRunning, running);
                waiting--;
                lastProgressNanos = now;
                toStart.add(entry);
                if (!probe && maxBatch > 1) {
                    addToBatch(entry, free);
                }
            }
            if (!lanes.hasReady()) {
                pausedFor.remove(PauseReason.RATE_LIMITED);
                pausedFor.remove(PauseReason.FOREGROUND_FIRST);
            }
            while (!intake.isEmpty() && waiting < buffer) {
                roomMade.add(intake.poll());
            }
        }
        if (unusedPermit) {
            background.release();
        }
        if (heldBack) {
            background.wakeWhenFree(wakeUp);
        }
        for (Entry entry : toStart) {
            started.incrementAndGet();
            workers.execute(() -> execute(entry));
        }
        roomMade.forEach(room -> room.complete(null));
        updateChannelPause();
    }

    /**
     * Takes more ready messages into {@code lead}'s batch: its share of what waits among the
     * {@code free} workers, up to {@code maxBatch}, each with its rate-limit token. Under the lock.
     */
    private void addToBatch(Entry lead, int free) {
        int share = Math.min(maxBatch, (lanes.readyCount() + 1 + free - 1) / Math.max(1, free));
        List<Entry> batch = null;
        while (share > 1 + (batch == null ? 0 : batch.size()) && lanes.hasReady()) {
            if (rateLimit != null && !rateLimit.tryConsume(1)) {
                break;
            }
            if (batch == null) {
                batch = new ArrayList<>(share - 1);
            }
            batch.add(lanes.next());
            waiting--;
        }
        lead.batch = batch;
    }

    private void execute(Entry lead) {
        if (lead.batch == null) {
            long start = System.nanoTime();
            Result result;
            try {
                result = lead.work.run(lead.probe);
            } catch (RuntimeException | Error e) {
                // Work settles its own message; reaching here is a bug, but the key must not stay blocked.
                LOG.errorf(e, "Unexpected failure running a message of %s", channel);
                result = new Done(false);
            }
            finished(List.of(lead), List.of(result), System.nanoTime() - start);
        } else {
            List<Entry> entries = new ArrayList<>(lead.batch.size() + 1);
            entries.add(lead);
            entries.addAll(lead.batch);
            lead.batch = null;
            started.addAndGet(entries.size() - 1);
            long start = System.nanoTime();
            List<Result> results;
            try {
                results = batchRunner.runAll(entries.stream().map(this::work).toList());
                if (results.size() != entries.size()) {
                    throw new IllegalStateException(results.size() + " results for " + entries.size() + " messages");
                }
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "Unexpected failure running a batch of %s", channel);
                results = entries.stream().map(entry -> (Result) new Done(false)).toList();
            }
            finished(entries, results, System.nanoTime() - start);
        }
    }

    /** An entry's work: only {@link #submit} makes entries, and it takes only a {@code W}. */
    @SuppressWarnings("unchecked")
    private W work(Entry entry) {
        return (W) entry.work;
    }

    /** After a worker ran {@code entries} (one, or a batch led by the first): frees it and places each. */
    private void finished(List<Entry> entries, List<Result> results, long took) {
        Entry lead = entries.get(0);
        Result result = results.get(0);
        List<Entry> giveBack = List.of();
        List<CompletableFuture<?>> settledFirst = new ArrayList<>();
        // A breaker may close without telling (a reset): a probe that got through asks it directly.
        boolean stillOpen = lead.probe && !(result instanceof Parked) && anyBreakerOpen.getAsBoolean();
        synchronized (this) {
            running--;
            lastProgressNanos = System.nanoTime();
            if (lead.probe) {
                probeInFlight = false;
                if (!(result instanceof Parked) && !stillOpen && pausedFor.remove(PauseReason.CIRCUIT_BREAKER_OPEN)) {
                    LOG.infof("Consumer %s resumed: a probe got through", channel);
                }
            }
            boolean overloaded = false;
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                Result each = results.get(i);
                overloaded |= each.overloaded();
                if (each instanceof Done done) {
                    lanes.finished(entry);
                    settling++;
                    done.settled().whenComplete((ok, error) -> settled());
                } else if (each instanceof RunAgain again) {
                    waiting++;
                    delayed++;
                    timer.schedule(() -> runAgain(entry), again.delay().toNanos(), TimeUnit.NANOSECONDS);
                } else {
                    parked.incrementAndGet();
                    waiting++;
                    lanes.readyAgain(entry);
                    pausedFor.add(PauseReason.CIRCUIT_BREAKER_OPEN);
                    nextProbeNanos = Math.max(nextProbeNanos, System.nanoTime() + probeIntervalNanos);
                }
            }
            if (!(result instanceof Parked) || entries.size() > 1) {
                // One sample per worker run: the adaptive limit bounds workers, and a batch is one.
                limit.record(took, overloaded);
            }
            if (pausedFor.contains(PauseReason.DATABASE_UNAVAILABLE)) {
                giveBack = takeForGiveBack();
                for (int i = 0; i < entries.size(); i++) {
                    if (results.get(i) instanceof Done done) {
                        settledFirst.add(done.settled().toCompletableFuture());
                    }
                }
            }
            notifyAll();
        }
        background.release();
        if (!giveBack.isEmpty()) {
            // After what just finished has gone back: a key's followers must not reach the broker first.
            releaseInOrder(giveBack, CompletableFuture.allOf(settledFirst.toArray(CompletableFuture[]::new)));
        }
        pump();
    }

    /**
     * While the database is out: the ready messages, each with those waiting behind its key, taken out
     * to go back to the broker. Under the lock.
     */
    private List<Entry> takeForGiveBack() {
        List<Entry> back = lanes.takeReadyWithTheirLanes();
        waiting -= back.size();
        return back;
    }

    /** Releases the entries one after the other, once {@code after} is done, so a key keeps its order. */
    private static CompletionStage<Void> releaseInOrder(List<Entry> entries, CompletionStage<?> after) {
        CompletionStage<Void> chain = after.handle((ignored, error) -> null);
        for (Entry entry : entries) {
            chain = chain.thenCompose(ignored -> entry.work.release()).handle((ignored, error) -> null);
        }
        return chain;
    }

    private synchronized void settled() {
        settling--;
        notifyAll();
    }

    private void runAgain(Entry entry) {
        boolean release;
        List<Entry> followers = List.of();
        synchronized (this) {
            delayed--;
            release = pausedFor.contains(PauseReason.SHUTTING_DOWN)
                    || pausedFor.contains(PauseReason.DATABASE_UNAVAILABLE);
            if (release) {
                waiting--;
                lanes.finished(entry);
                if (pausedFor.contains(PauseReason.DATABASE_UNAVAILABLE)) {
                    followers = takeForGiveBack();
                }
            } else {
                lanes.readyAgain(entry);
            }
        }
        if (release) {
            CompletionStage<Void> released = entry.work.release();
            if (!followers.isEmpty()) {
                releaseInOrder(followers, released);
            }
        }
        pump();
    }

    private void wakeUpAt(long delayNanos) {
        if (!wakeUpScheduled) {
            wakeUpScheduled = true;
            timer.schedule(() -> {
                synchronized (this) {
                    wakeUpScheduled = false;
                }
                pump();
            }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A circuit breaker of this consumer changed state.
     *
     * @param open whether it is open or half-open: either way only probes go through
     */
    public void breakerChanged(String breaker, boolean open) {
        // With several breakers, one closing resumes nothing while another is still open.
        boolean stillOpen = open || anyBreakerOpen.getAsBoolean();
        synchronized (this) {
            if (stillOpen) {
                if (pausedFor.add(PauseReason.CIRCUIT_BREAKER_OPEN)) {
                    nextProbeNanos = System.nanoTime() + probeIntervalNanos;
                    LOG.infof("Consumer %s paused: circuit breaker %s is open", channel, breaker);
                }
            } else {
                if (pausedFor.remove(PauseReason.CIRCUIT_BREAKER_OPEN)) {
                    LOG.infof("Consumer %s resumed: circuit breaker %s closed after its probes", channel, breaker);
                }
            }
        }
        pump();
    }

    private void updateChannelPause() {
        boolean pause;
        synchronized (this) {
            // The rate limit waits for milliseconds: the bounded intake covers it without flapping the link.
            pause = pausedFor.contains(PauseReason.CIRCUIT_BREAKER_OPEN) || pausedFor.contains(PauseReason.SHUTTING_DOWN)
                    || pausedFor.contains(PauseReason.OPERATOR) || pausedFor.contains(PauseReason.DATABASE_UNAVAILABLE);
            if (pause == channelPaused) {
                return;
            }
            channelPaused = pause;
        }
        pauseChannel.accept(pause);
    }

    /**
     * An operator's pause: nothing new starts, running messages finish, and what the consumer holds
     * stays unsettled (it counts in the queue's depth and goes back to the broker if the process
     * ends). The intake stops once the buffer is full, or at once on a pausable channel.
     */
    public void pauseByOperator(boolean pause) {
        synchronized (this) {
            if (pause) {
                pausedFor.add(PauseReason.OPERATOR);
            } else {
                pausedFor.remove(PauseReason.OPERATOR);
            }
        }
        LOG.infof("Consumer %s %s by an operator", channel, pause ? "paused" : "resumed");
        pump();
    }

    /**
     * The database gives no connection ({@code out}), or does again. Out, nothing starts, the channel
     * stops asking for more, and every waiting message goes back to the broker at once, as does each
     * one the channel still hands over; running ones finish (those that need the database give their
     * message back themselves). Back, the consumer takes messages again.
     */
    public void databaseOut(boolean out) {
        List<Entry> toRelease = new ArrayList<>();
        List<CompletableFuture<Void>> roomMade = new ArrayList<>();
        synchronized (this) {
            if (out) {
                if (!pausedFor.add(PauseReason.DATABASE_UNAVAILABLE)) {
                    return;
                }
                // A running message's followers stay behind it, and go back after it ({@link #finished}).
                toRelease.addAll(takeForGiveBack());
                roomMade.addAll(intake);
                intake.clear();
            } else if (!pausedFor.remove(PauseReason.DATABASE_UNAVAILABLE)) {
                return;
            }
        }
        if (out) {
            LOG.infof("Consumer %s paused: no database connection; %d waiting messages go back to the broker",
                    channel, toRelease.size());
            updateChannelPause();
            releaseInOrder(toRelease, CompletableFuture.completedFuture(null));
            roomMade.forEach(room -> room.complete(null));
        } else {
            LOG.infof("Consumer %s resumed: the database gives connections again", channel);
            pump();
        }
    }

    /**
     * Stops starting messages, gives the waiting ones back to the broker, and waits up to
     * {@code grace} for the running ones to finish.
     *
     * @return how many were still running when the grace period ended
     */
    public int drain(Duration grace) {
        List<Entry> toRelease = new ArrayList<>();
        List<CompletableFuture<Void>> roomMade;
        synchronized (this) {
            pausedFor.add(PauseReason.SHUTTING_DOWN);
            toRelease.addAll(lanes.takeAllWaiting());
            waiting -= toRelease.size();
            roomMade = new ArrayList<>(intake);
            intake.clear();
        }
        updateChannelPause();
        // Sent before the connector closes: the drain runs on a shutdown thread, so it may wait for them.
        List<CompletableFuture<Void>> releases = toRelease.stream()
                .map(entry -> entry.work.release().toCompletableFuture()).toList();
        roomMade.forEach(room -> room.complete(null));
        try {
            CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)).get(grace.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Not every waiting message of %s was released (%s); the broker redelivers them anyway",
                    channel, e.toString());
        }
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (this) {
            while (running > 0 || settling > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            LOG.infof("Consumer %s drained: %d released, %d still running, %d not yet settled", channel,
                    toRelease.size(), running, settling);
            return running + settling;
        }
    }

    /**
     * How long this consumer has had work but made no progress: nothing started or finished although
     * messages wait or run and nothing paused it on purpose (breaker, rate limit, shutdown). Zero when
     * idle or paused. A long stall means wedged handlers, such as a downstream call without a timeout.
     */
    public synchronized Duration stalledFor() {
        // A delivery that waits for its time on purpose (a retry's backoff, a workflow's timer) is no stall.
        if ((waiting - delayed == 0 && running == 0) || !pausedFor.isEmpty()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(System.nanoTime() - lastProgressNanos);
    }

    public synchronized View view() {
        return new View(channel, limit.current(), running, peakRunning, waiting, started.get(), parked.get(),
                pausedFor.isEmpty() ? Set.of() : EnumSet.copyOf(pausedFor));
    }

    public String channel() {
        return channel;
    }

    /** After the drain: lets the consumer's idle threads end. */
    public void close() {
        workers.shutdown();
    }
}
