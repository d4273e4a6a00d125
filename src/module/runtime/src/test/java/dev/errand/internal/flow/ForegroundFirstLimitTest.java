package dev.errand.internal.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ForegroundFirstLimitTest {

    private static final long TARGET = 20_000_000; // 20 ms
    private static final long FAST = 5_000_000;
    private static final long SLOW = 80_000_000;

    @Test
    void whileRequestsAreWithinTheTargetABusyBackgroundGetsOneMore() {
        ForegroundFirstLimit controller = new ForegroundFirstLimit(TARGET, 1, 2, 3);
        assertEquals(11, controller.next(10, 64, requests(FAST, 0, 10)));
        assertEquals(12, controller.next(11, 64, requests(FAST, 0, 6)));
    }

    @Test
    void aLimitTheBackgroundDoesNotUseIsNotRaised() {
        ForegroundFirstLimit controller = new ForegroundFirstLimit(TARGET, 1, 2, 3);
        assertEquals(10, controller.next(10, 64, requests(FAST, 0, 4)));
    }

    @Test
    void slowRequestsHalveWhatTheBackgroundUsedThenItWaitsForTheWorkStartedBeforeTheCut() {
        ForegroundFirstLimit controller = new ForegroundFirstLimit(TARGET, 1, 2, 3);
        // 30 ms against 20: a half. Of the 48 runs the background held, not of the ceiling of 64.
        assertEquals(24, controller.next(64, 64, requests(30_000_000, 0, 48)));
        // Two intervals to settle: the work started under 64 is still running.
        assertEquals(24, controller.next(24, 64, requests(SLOW, 0, 48)));
        assertEquals(24, controller.next(24, 64, requests(SLOW, 0, 30)));
        // 80 ms against 20: a quarter.
        assertEquals(6, controller.next(24, 64, requests(SLOW, 0, 24)));
    }

    @Test
    void lateEventLoopsCutAsSlowRequestsDo() {
        ForegroundFirstLimit controller = new ForegroundFirstLimit(TARGET, 1, 0, 3);
        assertEquals(2, controller.next(8, 64, requests(FAST, SLOW, 8)));
    }

    @Test
    void theLimitNeverFallsBelowTheFloorNorRisesAboveTheCeiling() {
        ForegroundFirstLimit controller = new ForegroundFirstLimit(TARGET, 2, 0, 3);
        int limit = 64;
        for (int i = 0; i < 20; i++) {
            limit = controller.next(limit, 64, requests(SLOW, 0, limit));
        }
        assertEquals(2, limit);
        for (int i = 0; i < 200; i++) {
            limit = controller.next(limit, 64, requests(FAST, 0, limit));
        }
        assertEquals(64, limit);
        // A floor above the ceiling is the ceiling: a service with one consumer of concurrency 1.
        assertEquals(1, new ForegroundFirstLimit(TARGET, 4, 0, 3).next(1, 1, requests(SLOW, 0, 1)));
    }

    @Test
    void withNoRequestsTheBackgroundDoublesBackToFullSpeed() {
        ForegroundFirstLimit controller = new ForegroundFirstLimit(TARGET, 1, 2, 3);
        ForegroundFirstLimit.Reading idle = new ForegroundFirstLimit.Reading(false, false, 0, SLOW, 1);
        assertEquals(2, controller.next(1, 64, idle));
        assertEquals(16, controller.next(8, 64, idle));
        assertEquals(64, controller.next(40, 64, idle));
    }

    @Test
    void tooFewRequestsToJudgeNeitherCutNorRaiseUntilTheyStaySparseForAWindow() {
        ForegroundFirstLimit controller = new ForegroundFirstLimit(TARGET, 1, 2, 3);
        ForegroundFirstLimit.Reading sparse = new ForegroundFirstLimit.Reading(true, false, SLOW, SLOW, 8);
        assertEquals(8, controller.next(8, 64, sparse));
        assertEquals(8, controller.next(8, 64, sparse));
        // A third interval with a poll or two: a sparse foreground, no reason to stay held back.
        assertEquals(9, controller.next(8, 64, sparse));
        assertEquals(10, controller.next(9, 64, sparse));
    }

    @Test
    void nonsenseSettingsAreRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> new ForegroundFirstLimit(0, 1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new ForegroundFirstLimit(TARGET, 0, 2, 3));
    }

    private static ForegroundFirstLimit.Reading requests(long latency, long loopDelay, int peakInUse) {
        return new ForegroundFirstLimit.Reading(true, true, latency, loopDelay, peakInUse);
    }
}
