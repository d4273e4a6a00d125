package dev.errand.internal.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;

/**
 * What was wrong with a JSON body, said for the client: where (the field path) and what, in JSON's
 * terms ("expected an integer, got a string"). Jackson's own wording names the service's classes
 * ({@code OrderRequest}), its tokens ({@code JsonToken.START_ARRAY}) and its settings
 * ({@code StreamReadConstraints}, {@code CoercionConfig}); none of that reaches the client.
 */
final class JsonErrors {

    private JsonErrors() {
    }

    static String describe(JsonProcessingException error) {
        String what = what(error);
        if (error instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining());
            return "at '" + (path.startsWith(".") ? path.substring(1) : path) + "': " + what;
        }
        return what;
    }

    private static String what(JsonProcessingException error) {
        String message = firstLine(error.getOriginalMessage());
        if (error instanceof PropertyBindingException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "'";
        }
        if (message.startsWith("Trailing token")) {
            return "more follows the JSON value; a body holds one value";
        }
        if (error instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            String got = got(mismatch);
            if (error instanceof InvalidFormatException invalid && !target.isEnum()
                    && !message.startsWith("Cannot coerce")) {
                // A value of the right kind that its reader refused ("text must not contain the NUL
                // character"): the reader's reason is what the client needs.
                int reason = message.lastIndexOf("\": ");
                return reason < 0 ? "the value " + got + " is not accepted"
                        : "the value is not accepted: " + message.substring(reason + 3);
            }
            return "expected " + expected(target) + (got == null ? "" : ", got " + got);
        }
        return withoutJavaNames(message);
    }

    /** What the target type reads, in JSON's terms. */
    private static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> "'" + ((Enum<?>) c).name() + "'")
                    .collect(Collectors.joining(", "));
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class
                || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class
                || type.getName().startsWith("java.time.") || type == java.util.UUID.class) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "another kind of value";
    }

    /** What the parser stood on when the value was refused, or null when that is not known. */
    private static String got(MismatchedInputException mismatch) {
        if (!(mismatch.getProcessor() instanceof JsonParser parser)) {
            return null;
        }
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    /**
     * Jackson's message with every name it quotes taken out: it puts class names, and the settings
     * that would change its mind, in backquotes, and a location's source in brackets.
     */
    static String withoutJavaNames(String text) {
        return withoutClassNames(text)
                // "exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)"
                .replaceAll(",\\s*from\\s*`[^`]*`", "")
                .replaceAll("\\s*\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]", " at line $1, column $2")
                // "(but might if coercion using `CoercionConfig` was enabled)", "(token `JsonToken.START_ARRAY`)"
                .replaceAll("\\s*\\([^()]*`[^`]*`[^()]*\\)", "")
                .replaceAll("`[^`]*`", "the value")
                .trim();
    }

    /** Fully qualified Java names become their simple names: the client learns no package. */
    static String withoutClassNames(String text) {
        return text.replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)", "$1");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "the body is not valid JSON";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
