package dev.errand.it.work;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

/** What the test consumer did, in the order it did it. */
@ApplicationScoped
public class WorkLog {

    /** One attempt of one message. */
    public record Attempt(String id, String key, int attempt, boolean succeeded, long startedNanos, long endedNanos) {
    }

    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, AtomicInteger> tries = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public void clear() {
        attempts.clear();
        tries.clear();
        maxRunning.set(0);
        gate = new CountDownLatch(0);
    }

    /** Closes the gate: work sent with {@code gate=true} waits until {@link #open()}. */
    public void close() {
        gate = new CountDownLatch(1);
    }

    public void open() {
        gate.countDown();
    }

    CountDownLatch gate() {
        return gate;
    }

    int nextTry(String id) {
        return tries.computeIfAbsent(id, any -> new AtomicInteger()).incrementAndGet();
    }

    void started() {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    }

    void ended(Attempt attempt) {
        running.decrementAndGet();
        attempts.add(attempt);
    }

    public List<Attempt> attempts() {
        return new ArrayList<>(attempts);
    }

    public List<Attempt> succeeded() {
        return attempts.stream().filter(Attempt::succeeded).toList();
    }

    public int maxRunning() {
        return maxRunning.get();
    }
}
