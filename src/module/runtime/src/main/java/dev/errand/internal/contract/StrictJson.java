package dev.errand.internal.contract;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.util.AccessPattern;

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
        SimpleModule strict = new SimpleModule("errand-strict-json").addDeserializer(String.class, new SafeStrings());
        // Not FAIL_ON_NULL_FOR_PRIMITIVES: it refuses a field left out of a record as well as an
        // explicit null, and a field left out takes its default.
        for (Class<?> primitive : new Class<?>[] { boolean.class, int.class, long.class, short.class, byte.class,
                double.class, float.class }) {
            addNoNull(strict, primitive);
        }
        mapper.registerModule(strict);
        return mapper;
    }

    @SuppressWarnings("unchecked")
    private static <T> void addNoNull(SimpleModule module, Class<T> primitive) {
        module.addDeserializer(primitive, new NoNullPrimitive<>(primitive,
                (JsonDeserializer<T>) NumberDeserializers.find(primitive, primitive.getName())));
    }

    /**
     * A primitive as Jackson reads it, except that an explicit {@code null} is refused: Jackson would
     * make it zero or {@code false}. A field left out still takes that default.
     */
    static final class NoNullPrimitive<T> extends StdScalarDeserializer<T> {

        private final JsonDeserializer<T> standard;

        NoNullPrimitive(Class<T> type, JsonDeserializer<T> standard) {
            super(type);
            this.standard = standard;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return standard.deserialize(parser, context);
        }

        @Override
        public T getNullValue(DeserializationContext context) throws JsonMappingException {
            return context.reportInputMismatch(this, "null is not accepted here; leave the field out for its default");
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) throws JsonMappingException {
            return standard.getNullValue(context);
        }

        @Override
        public AccessPattern getNullAccessPattern() {
            return AccessPattern.DYNAMIC;
        }
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
