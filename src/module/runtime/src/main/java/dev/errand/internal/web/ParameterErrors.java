package dev.errand.internal.web;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Why JAX-RS could not convert a query or path parameter, said without Java's words: the JDK's
 * messages name the enum's class ({@code No enum constant dev.errand...DeadLetterStatus.BOGUS}).
 */
final class ParameterErrors {

    private static final String NO_ENUM_CONSTANT = "No enum constant ";
    private static final Pattern NUMBER_INPUT = Pattern.compile("For input string: \"(.*)\"");

    private ParameterErrors() {
    }

    static String describe(Throwable conversion) {
        String message = String.valueOf(conversion.getMessage());
        if (conversion instanceof NumberFormatException) {
            Matcher input = NUMBER_INPUT.matcher(message);
            return input.find() ? "'" + input.group(1) + "' is not a number in range" : "expected a number in range";
        }
        if (conversion instanceof IllegalArgumentException && message.startsWith(NO_ENUM_CONSTANT)) {
            return notAnEnumConstant(message.substring(NO_ENUM_CONSTANT.length()));
        }
        return "the value is not of the kind expected";
    }

    /**
     * From {@code dev.errand...DeadLetterStatus.BOGUS}: the value, and the values allowed when the
     * enum is one the service has loaded. The value may hold dots itself, so each split is tried.
     */
    private static String notAnEnumConstant(String qualified) {
        for (int dot = qualified.indexOf('.'); dot > 0; dot = qualified.indexOf('.', dot + 1)) {
            Class<?> type = loaded(qualified.substring(0, dot));
            if (type != null && type.isEnum()) {
                return "'" + qualified.substring(dot + 1) + "' is not one of " + Arrays.stream(type.getEnumConstants())
                        .map(c -> "'" + ((Enum<?>) c).name() + "'").collect(Collectors.joining(", "));
            }
        }
        return "the value is not one of those allowed";
    }

    private static Class<?> loaded(String name) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
