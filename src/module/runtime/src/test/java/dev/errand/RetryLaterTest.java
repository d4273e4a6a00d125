package dev.errand;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryLaterTest {

    @Test
    void aRetryAfterHeaderInSecondsIsHonoured() {
        assertEquals(Duration.ofSeconds(7), RetryLater.afterHeader("429", " 7 ").after());
    }

    @Test
    void aMissingHeaderOrAnHttpDateWaitsOneSecond() {
        assertEquals(Duration.ofSeconds(1), RetryLater.afterHeader("429", null).after());
        assertEquals(Duration.ofSeconds(1), RetryLater.afterHeader("429", "Wed, 21 Oct 2026 07:28:00 GMT").after());
    }

    @Test
    void aNegativeHeaderDoesNotWaitLessThanNothing() {
        assertEquals(Duration.ZERO, RetryLater.afterHeader("429", "-5").after());
    }
}
