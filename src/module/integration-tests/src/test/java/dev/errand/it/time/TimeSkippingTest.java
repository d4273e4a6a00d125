package dev.errand.it.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DeadLetters;
import dev.errand.DurableCalls;
import dev.errand.embedded.ErrandTestKit;
import dev.errand.it.functions.LongWaitFunctions;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The test kit skips Errand's time: work that waits for hours, on the broker and in the database, runs
 * in seconds. Artemis only (the kit hands over what the embedded Artemis holds for later); an application of
 * its own, since skipped time stays skipped for the application's life.
 */
@QuarkusTest
@TestProfile(TimeSkippingTest.Skipping.class)
class TimeSkippingTest {

    /** An application of its own: the other tests' keep the wall clock. */
    public static class Skipping implements QuarkusTestProfile {
    }

    /** Far below any of the waits below, which are hours: only skipping can finish them this soon. */
    private static final Duration SECONDS = Duration.ofSeconds(60);

    @Inject
    ErrandTestKit errand;

    @Inject
    LongWaitFunctions functions;

    @Inject
    DurableCalls calls;

    @Test
    void aDaysSleepEndsOnlyWhenTheTestHasSkippedTheWholeDay() {
        long started = System.nanoTime();
        Call<String> call = functions.daySleep(tag());
        errand.awaitIdle();
        assertEquals(CallStatus.State.WAITING, state(call));

        errand.advance(Duration.ofHours(23));
        assertEquals(CallStatus.State.WAITING, state(call), "23 of its 24 hours have passed");

        errand.advance(Duration.ofHours(2));
        assertEquals(CallStatus.State.SUCCEEDED, state(call));
        assertTrue(calls.result(call, String.class).orElseThrow().startsWith("woke "));
        assertFasterThan(started);
    }

    @Test
    void aDayLongWaitForAnApprovalExpiresWhenTheTestSkipsADay() {
        long started = System.nanoTime();
        // Time skipped before the wait begins: its timer goes to the broker with the skip taken off.
        errand.advance(Duration.ofHours(1));
        Call<String> call = functions.dayApproval(tag());
        errand.awaitIdle();
        assertEquals(CallStatus.State.WAITING, state(call));

        errand.advance(Duration.ofHours(25));

        assertEquals(CallStatus.State.SUCCEEDED, state(call));
        assertEquals("expired", calls.result(call, String.class).orElseThrow());
        assertFasterThan(started);
    }

    @Test
    void aTwoHourDeadlineEndsAWorkflowThatWouldWaitADay() {
        long started = System.nanoTime();
        Call<String> call = functions.twoHourDeadline(tag());
        errand.awaitIdle();
        assertEquals(CallStatus.State.WAITING, state(call));

        errand.advance(Duration.ofHours(3));

        assertEquals(CallStatus.State.TIMED_OUT, state(call));
        assertFasterThan(started);
    }

    @Test
    void aRetryThatTheBrokerHoldsForHoursComesBackWhenTheTestSkipsThem() {
        long started = System.nanoTime();
        String tag = tag();
        Call<String> call = functions.flaky(tag);
        errand.awaitIdle();
        assertEquals(1, functions.attempts(tag));

        // Its retry is due 6 to 12 hours on (redelivery-delay=6h, with jitter, at most 12h).
        errand.advance(Duration.ofHours(13));

        assertEquals(2, functions.attempts(tag));
        assertEquals(CallStatus.State.SUCCEEDED, state(call));
        assertFasterThan(started);
    }

    @Test
    void theDeadLettersOfWorkThatFailedAreReadThroughTheKit() {
        Call<String> call = functions.hopeless(tag());
        errand.awaitIdle();

        assertTrue(errand.deadLetters().stream().map(DeadLetters.Letter::messageId).anyMatch(call.id()::equals),
                "dead letters: " + errand.deadLetters());
    }

    private CallStatus.State state(Call<?> call) {
        return calls.status(call).orElseThrow().state();
    }

    private static void assertFasterThan(long startedNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        assertTrue(took.compareTo(SECONDS) < 0, "took " + took);
    }

    private static String tag() {
        return UUID.randomUUID().toString();
    }
}
