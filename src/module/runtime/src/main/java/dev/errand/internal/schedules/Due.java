package dev.errand.internal.schedules;

import java.time.Instant;

import dev.errand.Schedules.Missed;

/**
 * What one look at a schedule is to do ({@link ScheduleRunner#tick}), worked out from its cadence, the last
 * tick its row records and the time alone: so that which tick is due, and whether ticks were missed, can be
 * tested across daylight-saving changes without a database or a clock.
 *
 * @param tick the latest tick at or before the look, null if there is none
 */
record Due(Step step, Instant tick) {

    enum Step {
        /** No tick since the row's last one (or no tick at all yet): nothing to do. */
        NOTHING,
        /** A new schedule's first look: the tick becomes its last, nothing starts for the time before it existed. */
        RECORD,
        /** More than one tick is due and the policy is SKIP: the latest becomes the last, nothing starts. */
        SKIP,
        /** The tick starts its call: the one tick due, or with RUN_ONCE the latest of those missed. */
        START
    }

    static Due at(Cadence cadence, Instant lastTick, Instant now, Missed missed) {
        Instant due = cadence.latest(now);
        if (due == null) {
            return new Due(Step.NOTHING, null);
        }
        if (lastTick == null) {
            return new Due(Step.RECORD, due);
        }
        if (!lastTick.isBefore(due)) {
            return new Due(Step.NOTHING, due);
        }
        Instant firstMissed = cadence.next(lastTick);
        boolean missedSome = firstMissed != null && firstMissed.isBefore(due);
        return new Due(missedSome && missed == Missed.SKIP ? Step.SKIP : Step.START, due);
    }
}
