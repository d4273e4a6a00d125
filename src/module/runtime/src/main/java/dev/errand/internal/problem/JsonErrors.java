package dev.errand.internal.problem;

import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * What was wrong with a JSON body, said for the client: where (the field path) and what, without the
 * service's class names or Jackson's internals.
 */
final class JsonErrors {

    private JsonErrors() {
    }

    static String describe(JsonProcessingException error) {
        String what = withoutClassNames(firstLine(error.getOriginalMessage())).replace("`", "'");
        if (error instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining());
            return "at '" + (path.startsWith(".") ? path.substring(1) : path) + "': " + what;
        }
        return what;
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
