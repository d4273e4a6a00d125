package dev.errand.it.foreground;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.OutsideSenders;
import dev.errand.Task;
import dev.errand.it.work.TestWork;

/**
 * Background work that wants every core: each message keeps its thread busy for its {@code millis},
 * sixteen at a time, while the test leaves {@link #burning} on (off, the rest of the queue drains at once).
 */
@ApplicationScoped
public class BusyWork {

    public static final String CHANNEL = "test-busy";
    public static final String QUEUE = "errand.test-busy";

    private volatile boolean burning = true;
    private volatile long sink;

    @OutsideSenders
    @Incoming(CHANNEL)
    void burn(TestWork work, Task<TestWork> task) {
        long end = System.nanoTime() + work.millis() * 1_000_000L;
        long x = sink;
        while (burning && System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }

    public void burning(boolean on) {
        burning = on;
    }
}
