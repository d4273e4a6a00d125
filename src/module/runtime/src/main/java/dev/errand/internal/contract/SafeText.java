package dev.errand.internal.contract;

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
        if (text == null || firstUnsafe(text) < 0) {
            return text;
        }
        StringBuilder safe = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isUnsafeAt(text, i)) {
                safe.append(String.format("\\u%04x", (int) c));
            } else {
                safe.append(c);
            }
        }
        return safe.toString();
    }

    /** Index of the first NUL or unpaired surrogate, or -1. */
    public static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafeAt(text, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first control character (C0, DEL or C1), or -1: ids must have none. */
    public static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
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
