package dev.errand.core.backpressure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** What a lagging depth reading has not counted yet. */
class RecentSendsTest {

    @Test
    void sendsAreCountedPerQueueWithinTheWindowAndNotAtAllForALiveBroker() {
        RecentSends recent = new RecentSends();
        for (int i = 0; i < 2000; i++) {
            recent.sent("errand.coupon-grants");
        }
        recent.sent("errand.orders");

        assertEquals(2000, recent.within("errand.coupon-grants", Duration.ofSeconds(2)));
        assertEquals(1, recent.within("errand.orders", Duration.ofSeconds(2)));
        assertEquals(0, recent.within("errand.signups", Duration.ofSeconds(2)));
        // Artemis' readings are live: nothing is added to them.
        assertEquals(0, recent.within("errand.coupon-grants", Duration.ZERO));
    }
}
