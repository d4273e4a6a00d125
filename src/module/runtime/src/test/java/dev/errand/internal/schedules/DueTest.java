package dev.errand.internal.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.errand.Schedules.Missed;

/**
 * Which tick a look at a schedule finds due ({@link ScheduleRunner#tick} without its database): a loop
 * that looks every few seconds across a daylight-saving change starts each fire time once and skips none.
 */
class DueTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void aTimeTheClocksRepeatIsNotDueASecondTime() {
        Cron cron = Cron.of("0 30 2 * * ?", PARIS);
        // The first 02:30 of 25 October 2026 (00:30 UTC) was started; at the second (01:30 UTC) nothing is due.
        Due due = Due.at(cron, Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-25T01:30:01Z"),
                Missed.RUN_ONCE);
        assertEquals(Due.Step.NOTHING, due.step(), "due " + due);
    }

    @Test
    void aLoopAcrossTheAutumnChangeStartsEachFireTimeOnce() {
        Instant from = Instant.parse("2026-10-24T22:00:00Z");
        Instant to = Instant.parse("2026-10-25T04:00:00Z");
        assertEquals(List.of(Instant.parse("2026-10-25T00:30:00Z")),
                starts(Cron.of("0 30 2 * * ?", PARIS), from, to, Missed.SKIP));
        // Midnight to 05:00 in Paris, 02:00 once: 22:00 UTC was the first look's, recorded.
        assertEquals(List.of(Instant.parse("2026-10-24T23:00:00Z"), Instant.parse("2026-10-25T00:00:00Z"),
                Instant.parse("2026-10-25T02:00:00Z"), Instant.parse("2026-10-25T03:00:00Z"),
                Instant.parse("2026-10-25T04:00:00Z")), starts(Cron.of("0 0 * * * ?", PARIS), from, to, Missed.SKIP));
        // Every quarter of an hour: none in the repeated hour (01:00 to 02:00 UTC), and that gap is no missed
        // tick to skip: 02:00 UTC (03:00) starts.
        List<Instant> quarters = starts(Cron.of("0 */15 * * * ?", PARIS), from, to, Missed.SKIP);
        assertEquals(4 * 6 - 4, quarters.size(), "six hours of quarters, less the repeated hour's: " + quarters);
        assertEquals(List.of(), quarters.stream().filter(tick -> !tick.isBefore(Instant.parse("2026-10-25T01:00:00Z"))
                && tick.isBefore(Instant.parse("2026-10-25T02:00:00Z"))).toList());
    }

    @Test
    void aLoopAcrossTheSpringChangeStartsTheNextDaysTickOnTime() {
        // 02:30 does not exist on 29 March 2026: the 28th's, then the 30th's, which is no missed tick to skip.
        assertEquals(List.of(Instant.parse("2026-03-28T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z")),
                starts(Cron.of("0 30 2 * * ?", PARIS), Instant.parse("2026-03-28T00:00:00Z"),
                        Instant.parse("2026-03-30T01:00:00Z"), Missed.SKIP));
    }

    @Test
    void ticksMissedAreSkippedOrRunOnceByThePolicy() {
        Every hourly = new Every(Duration.ofHours(1));
        Instant last = Instant.parse("2026-12-07T10:00:00Z");
        Instant now = Instant.parse("2026-12-07T13:20:00Z");
        Instant latest = Instant.parse("2026-12-07T13:00:00Z");
        assertEquals(new Due(Due.Step.SKIP, latest), Due.at(hourly, last, now, Missed.SKIP));
        assertEquals(new Due(Due.Step.START, latest), Due.at(hourly, last, now, Missed.RUN_ONCE));
        // Late, but before the next: it runs whatever the policy.
        assertEquals(new Due(Due.Step.START, Instant.parse("2026-12-07T11:00:00Z")),
                Due.at(hourly, last, Instant.parse("2026-12-07T11:59:59Z"), Missed.SKIP));
        assertEquals(new Due(Due.Step.RECORD, latest), Due.at(hourly, null, now, Missed.SKIP), "a new schedule's first look");
    }

    /** The ticks a loop started looking every 10 s from {@code from} to {@code to}, keeping the last as the row does. */
    private static List<Instant> starts(Cadence cadence, Instant from, Instant to, Missed missed) {
        List<Instant> started = new ArrayList<>();
        Instant last = null;
        for (Instant now = from; !now.isAfter(to); now = now.plusSeconds(10)) {
            Due due = Due.at(cadence, last, now, missed);
            assertNotEquals(Due.Step.SKIP, due.step(), "a tick skipped at " + now + ": " + due);
            if (due.step() == Due.Step.START) {
                started.add(due.tick());
            }
            if (due.step() != Due.Step.NOTHING) {
                last = due.tick();
            }
        }
        return started;
    }
}
