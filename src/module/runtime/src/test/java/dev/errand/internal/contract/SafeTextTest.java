package dev.errand.internal.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void textPostgresqlCanStoreIsLeftAsItIs() {
        String text = "user-42 \uD83D\uDE00 tab\there";
        assertSame(text, SafeText.of(text));
        assertEquals(-1, SafeText.firstUnsafe(text));
    }

    @Test
    void aNulAndUnpairedSurrogatesAreEscapedNotDropped() {
        assertEquals("a\\u0000b", SafeText.of("a\u0000b"));
        assertEquals("x\\ud800y", SafeText.of("x\uD800y"));
        assertEquals("\\udc00", SafeText.of("\uDC00"));
        assertEquals(1, SafeText.firstUnsafe("a\u0000b"));
    }

    @Test
    void aLogLineAlsoEscapesLineBreaksSoOutsideTextCannotForgeALine() {
        assertEquals("id\\u000aFAKE ERROR", SafeText.forLog("id\nFAKE ERROR"));
        assertEquals(2, SafeText.firstControl("id\n"));
    }
}
