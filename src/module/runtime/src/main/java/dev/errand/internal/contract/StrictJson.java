package dev.errand.internal.contract;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * JSON read as it was written, or refused. Jackson's defaults quietly change input: {@code 1.5}
 * becomes the int 1, {@code true} or {@code "7"} a number, {@code null} a primitive's zero or
 * {@code false} (a field left out still takes its default), a repeated key keeps its last value, and
 * a string may hold a NUL (which PostgreSQL then refuses with a 500) or an unpaired surrogate (which
 * is stored as {@code ?}). Errand reads message bodies this way; a service opts its REST endpoints in
 * with {@code errand.http.strict-json=true}.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** Makes {@code mapper} strict and returns it. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        for (LogicalType number : new LogicalType[] { LogicalType.Integer, LogicalType.Float }) {
            mapper.coercionConfigFor(number)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("errand-strict-json").addDeserializer(String.class, new SafeStrings()));
        return mapper;
    }

    /** Strings as Jackson reads them, refused when they hold a NUL or an unpaired surrogate. */
    static final class SafeStrings extends StdScalarDeserializer<String> {

        SafeStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null) {
                int at = SafeText.firstUnsafe(value);
                if (at >= 0) {
                    return (String) context.handleWeirdStringValue(String.class, value, value.charAt(at) == 0
                            ? "text must not contain the NUL character (U+0000)"
                            : "text must be valid Unicode (it has an unpaired surrogate)");
                }
            }
            return value;
        }
    }
}
