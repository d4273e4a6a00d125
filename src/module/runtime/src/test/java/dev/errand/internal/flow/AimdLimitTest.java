package dev.errand.internal.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AimdLimitTest {

    private static final long FAST = 10_000_000; // 10 ms

    @Test
    void aWindowOfHealthyCompletionsAddsOne() {
        AimdLimit limit = new AimdLimit(1, 4, 64, 0.5, 2.0, 10);
        record(limit, 10, FAST, false);
        assertEquals(5, limit.current());
        record(limit, 20, FAST, false);
        // two more windows: 5 + 1 + 1
        assertEquals(7, limit.current());
    }

    @Test
    void overloadHalvesOnceAndIgnoresTheCallsStillRunningUnderTheOldLimit() {
        AimdLimit limit = new AimdLimit(1, 8, 64, 0.5, 2.0, 10);
        limit.record(FAST, true);
        assertEquals(4, limit.current());
        // The other 7 calls of the old limit fail too (8 in cooldown, counting none): still 4, not 4 * 0.5^7.
        record(limit, 7, FAST, true);
        assertEquals(4, limit.current());
    }

    @Test
    void risingLatencyCountsAsOverload() {
        AimdLimit limit = new AimdLimit(1, 10, 64, 0.5, 2.0, 10);
        record(limit, 10, FAST, false);
        assertEquals(11, limit.current());
        // a window at 30 ms against a best of 10 ms: 30 > 10 * 2.0, so 11 * 0.5 = 5.5, floored to 5
        record(limit, 10, 3 * FAST, false);
        assertEquals(5, limit.current());
    }

    @Test
    void theLimitStaysBetweenItsMinimumAndMaximum() {
        AimdLimit limit = new AimdLimit(2, 3, 4, 0.5, 2.0, 1);
        record(limit, 10, FAST, false);
        assertEquals(4, limit.current());
        for (int i = 0; i < 20; i++) {
            limit.record(FAST, true);
        }
        assertEquals(2, limit.current());
    }

    @Test
    void nonsenseSettingsAreRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> new AimdLimit(0, 1, 4, 0.5, 2.0, 10));
        assertThrows(IllegalArgumentException.class, () -> new AimdLimit(1, 1, 4, 1.5, 2.0, 10));
        assertThrows(IllegalArgumentException.class, () -> new AimdLimit(1, 1, 4, 0.5, 0.9, 10));
    }

    private static void record(AimdLimit limit, int times, long latency, boolean overloaded) {
        for (int i = 0; i < times; i++) {
            limit.record(latency, overloaded);
        }
    }
}
