package dev.errand.internal.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The ticks of a cron expression (cron-utils, Quartz syntax) and of an interval, as the schedules read them. */
class CronTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void aCronTicksAtItsFireTimesInItsZone() {
        Cron nightly = Cron.of("0 0 2 * * ?", PARIS);
        // Winter: Paris is UTC+1, so 02:00 there is 01:00 UTC.
        Instant now = Instant.parse("2026-12-07T10:15:30.250Z");
        assertEquals(Instant.parse("2026-12-07T01:00:00Z"), nightly.latest(now));
        assertEquals(Instant.parse("2026-12-08T01:00:00Z"), nightly.next(now));
    }

    @Test
    void aFireTimeIsTheLatestTickFromItsOwnSecondOnAndTheNextIsStrictlyAfterIt() {
        Cron everyTwoSeconds = Cron.of("*/2 * * * * ?", ZoneOffset.UTC);
        Instant tick = Instant.parse("2026-12-07T10:00:02Z");
        assertEquals(tick, everyTwoSeconds.latest(tick));
        assertEquals(tick, everyTwoSeconds.latest(tick.plusMillis(999)));
        assertEquals(tick, everyTwoSeconds.latest(tick.plusMillis(1999)));
        assertEquals(tick.minusSeconds(2), everyTwoSeconds.latest(tick.minusMillis(1)));
        assertEquals(tick.plusSeconds(2), everyTwoSeconds.next(tick));
        assertEquals(tick, everyTwoSeconds.next(tick.minusMillis(1)));
    }

    @Test
    void aWallClockTimeThatDaylightSavingSkipsDoesNotFireThatDay() {
        // Paris, 29 March 2026: 02:00 becomes 03:00 (01:00 UTC), so 02:30 does not exist that day.
        Cron cron = Cron.of("0 30 2 * * ?", PARIS);
        Instant before = Instant.parse("2026-03-28T12:00:00Z");
        assertEquals(Instant.parse("2026-03-30T00:30:00Z"), cron.next(before), "no tick on the 29th: the next is the 30th's");
        assertEquals(Instant.parse("2026-03-30T00:30:00Z"), cron.next(Instant.parse("2026-03-29T00:59:59Z")));
        assertEquals(Instant.parse("2026-03-28T01:30:00Z"), cron.latest(Instant.parse("2026-03-29T12:00:00Z")),
                "looking back from the 29th, the last tick is the 28th's");
        // 01:30 UTC is 03:30 summer time: no 02:30 was shown that night.
        assertEquals(Instant.parse("2026-03-28T01:30:00Z"), cron.latest(Instant.parse("2026-03-29T01:30:00Z")));
        assertEquals(Instant.parse("2026-03-30T00:30:00Z"), cron.latest(Instant.parse("2026-03-30T00:30:00Z")));
    }

    @Test
    void aWallClockTimeThatDaylightSavingRepeatsFiresOnce() {
        // Paris, 25 October 2026: 03:00 goes back to 02:00 (01:00 UTC), so 02:30 happens twice, at 00:30
        // UTC (summer time) and at 01:30 UTC (winter time).
        Cron cron = Cron.of("0 30 2 * * ?", PARIS);
        Instant first = cron.next(Instant.parse("2026-10-24T12:00:00Z"));
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), first, "the first 02:30, summer time");
        assertEquals(Instant.parse("2026-10-26T01:30:00Z"), cron.next(first), "not the second 02:30");
        // cron-utils' own next execution, from just before the second 02:30, gives it.
        assertEquals(Instant.parse("2026-10-26T01:30:00Z"), cron.next(Instant.parse("2026-10-25T01:29:59Z")));
        // Looking back from the second 02:30 finds the first, the tick already taken: no second tick.
        assertEquals(first, cron.latest(Instant.parse("2026-10-25T01:30:00Z")));
        assertEquals(first, cron.latest(Instant.parse("2026-10-25T01:30:30Z")));
        assertEquals(first, cron.latest(Instant.parse("2026-10-26T01:29:59Z")));
        assertEquals(Instant.parse("2026-10-24T00:30:00Z"), cron.latest(first.minusMillis(1)));
    }

    @Test
    void anHourlyCronDoesNotTickAgainInTheRepeatedHour() {
        Cron hourly = Cron.of("0 0 * * * ?", PARIS);
        // 02:00 summer time is 00:00 UTC; 02:00 winter time (01:00 UTC) is its repeat; 03:00 is 02:00 UTC.
        assertEquals(Instant.parse("2026-10-25T02:00:00Z"), hourly.next(Instant.parse("2026-10-25T00:00:00Z")));
        assertEquals(Instant.parse("2026-10-25T00:00:00Z"), hourly.latest(Instant.parse("2026-10-25T01:00:00Z")));
        assertEquals(Instant.parse("2026-10-25T00:00:00Z"), hourly.latest(Instant.parse("2026-10-25T01:59:59Z")));
        assertEquals(Instant.parse("2026-10-25T02:00:00Z"), hourly.latest(Instant.parse("2026-10-25T02:00:00Z")));
        // In March the hour from 02:00 does not exist: 01:00 winter time (00:00 UTC), then 03:00 summer time.
        assertEquals(Instant.parse("2026-03-29T01:00:00Z"), hourly.next(Instant.parse("2026-03-29T00:00:00Z")));
        assertEquals(Instant.parse("2026-03-29T00:00:00Z"), hourly.latest(Instant.parse("2026-03-29T00:59:59Z")));
    }

    @Test
    void latestAndNextAgreeOnEveryTickAcrossBothDaylightSavingChanges() {
        List<String> expressions = List.of("0 30 2 * * ?", "0 0 2 * * ?", "0 0 * * * ?", "0 */15 * * * ?",
                "*/20 * 2 * * ?", "0 59 1 * * ?", "0 0 3 * * ?");
        for (String expression : expressions) {
            Cron cron = Cron.of(expression, PARIS);
            // Six hours from 23:00 in Paris, the night of each change.
            for (Instant night : List.of(Instant.parse("2026-03-28T22:00:00Z"),
                    Instant.parse("2026-10-24T21:00:00Z"))) {
                Instant morning = night.plus(Duration.ofHours(6));
                Set<LocalDateTime> wallClock = new HashSet<>();
                for (Instant tick = cron.next(night); tick.isBefore(morning); tick = cron.next(tick)) {
                    assertTrue(wallClock.add(LocalDateTime.ofInstant(tick, PARIS)), expression + " twice at " + tick);
                }
                // Every 97 s: a different second of the minute each time.
                for (Instant now = night; now.isBefore(morning); now = now.plusMillis(97_001)) {
                    Instant latest = cron.latest(now);
                    Instant next = cron.next(now);
                    String at = expression + " at " + now;
                    assertTrue(!latest.isAfter(now) && next.isAfter(now), at);
                    assertEquals(next, cron.next(latest), at + ": no tick between the latest and now");
                    assertEquals(next, cron.latest(next), at + ": the next is a tick");
                    assertEquals(latest, cron.latest(next.minusMillis(1)), at + ": no tick between now and the next");
                }
            }
        }
    }

    @Test
    void aBadExpressionIsRefusedWithWhatACronLooksLike() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cron.of("every night", PARIS));
        assertTrue(e.getMessage().contains("\"every night\" is no Quartz cron expression"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cron.of("0 0 2 * *", PARIS), "Unix cron has no seconds");
        assertThrows(IllegalArgumentException.class, () -> Cron.of("0 0 25 * * ?", PARIS));
        assertThrows(IllegalArgumentException.class, () -> Cron.of("0 0 2 * * ? 2020", PARIS), "never fires again");
        assertThrows(IllegalArgumentException.class, () -> Cron.of("0 0 2 * * ?", null));
    }

    @Test
    void anIntervalTicksOnItsMultiplesFromTheEpoch() {
        Every hourly = new Every(Duration.ofHours(1));
        Instant now = Instant.parse("2026-12-07T10:15:30Z");
        assertEquals(Instant.parse("2026-12-07T10:00:00Z"), hourly.latest(now));
        assertEquals(Instant.parse("2026-12-07T11:00:00Z"), hourly.next(now));
        assertEquals(Instant.parse("2026-12-07T11:00:00Z"), hourly.next(Instant.parse("2026-12-07T10:00:00Z")));
        assertThrows(IllegalArgumentException.class, () -> new Every(Duration.ofMillis(500)));
    }

    @Test
    void configuredValuesAreReadAsQuarkusReadsThem() {
        assertEquals(Duration.ofSeconds(30), ScheduleValues.interval("30s"));
        assertEquals(Duration.ofHours(1), ScheduleValues.interval("PT1H"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleValues.interval("soon"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleValues.zone("Mars/Olympus"));
        assertTrue(ScheduleValues.off(" Off"));
    }
}
