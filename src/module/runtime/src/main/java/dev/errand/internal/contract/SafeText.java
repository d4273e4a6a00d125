package dev.errand.internal.contract;

import java.util.function.BiPredicate;

/**
 * Text as PostgreSQL can store it and a log can show it. PostgreSQL refuses the NUL character in
 * text, and an unpaired surrogate cannot be encoded in UTF-8 (the driver would write {@code ?}). Both
 * become a JSON-style escape ({@code \u0000}), so nothing is silently lost: inside a JSON string the
 * escape even means the same character.
 */
public final class SafeText {

    private SafeText() {
    }

    /** The text with NUL and unpaired surrogates escaped; the same instance when it has none. */
    public static String of(String text) {
        return escape(text, SafeText::isUnsafeAt);
    }

    /** For a log line: every control character escaped too, so outside text cannot break the line. */
    public static String forLog(String text) {
        return escape(text, (t, i) -> Character.isISOControl(t.charAt(i)) || isUnsafeAt(t, i));
    }

    /** Index of the first NUL or unpaired surrogate, or -1. */
    public static int firstUnsafe(String text) {
        return first(text, SafeText::isUnsafeAt);
    }

    /** Index of the first control character (C0, DEL or C1), or -1: ids must have none. */
    public static int firstControl(String text) {
        return first(text, (t, i) -> Character.isISOControl(t.charAt(i)));
    }

    private static String escape(String text, BiPredicate<String, Integer> unsafe) {
        if (text == null || first(text, unsafe) < 0) {
            return text;
        }
        StringBuilder safe = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe.test(text, i)) {
                safe.append(String.format("\\u%04x", (int) c));
            } else {
                safe.append(c);
            }
        }
        return safe.toString();
    }

    private static int first(String text, BiPredicate<String, Integer> unsafe) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe.test(text, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isUnsafeAt(String text, int i) {
        char c = text.charAt(i);
        if (c == 0) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        return false;
    }
}
