package dev.errand.internal.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** What a lagging depth reading has not counted yet. */
class RecentFlowTest {

    private static final Duration WINDOW = Duration.ofSeconds(2);

    @Test
    void aBatchJustSentCountsUntilTheSameInstanceTakesItOff() {
        RecentFlow flow = new RecentFlow();
        for (int i = 0; i < 2000; i++) {
            flow.sent("errand.coupon-grants");
        }
        flow.sent("errand.orders");

        assertEquals(2000, flow.netWithin("errand.coupon-grants", WINDOW));
        assertEquals(1, flow.netWithin("errand.orders", WINDOW));
        assertEquals(0, flow.netWithin("errand.signups", WINDOW));

        for (int i = 0; i < 1500; i++) {
            flow.settled("errand.coupon-grants");
        }
        assertEquals(500, flow.netWithin("errand.coupon-grants", WINDOW));
    }

    @Test
    void aLiveBrokersReadingIsNotCorrected() {
        RecentFlow flow = new RecentFlow();
        flow.sent("errand.orders");

        assertEquals(0, flow.netWithin("errand.orders", Duration.ZERO));
    }
}
