package dev.errand.internal.functions;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.AbstractDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.ser.impl.UnknownSerializer;

import dev.errand.Call;

/**
 * The JSON side of a durable function's signature. Used by the build (with a plain mapper) and again
 * at start-up (with the service's own), so a type Jackson cannot write and read back is refused before
 * the first call is made.
 */
public final class FunctionTypes {

    private FunctionTypes() {
    }

    public static Method method(String beanClass, String name, List<String> parameters, ClassLoader loader)
            throws ReflectiveOperationException {
        Class<?>[] types = new Class<?>[parameters.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = classOf(parameters.get(i), loader);
        }
        return Class.forName(beanClass, false, loader).getDeclaredMethod(name, types);
    }

    public static JavaType[] parameters(ObjectMapper mapper, Method method) {
        Type[] generic = method.getGenericParameterTypes();
        JavaType[] parameters = new JavaType[generic.length];
        for (int i = 0; i < generic.length; i++) {
            parameters[i] = mapper.constructType(generic[i]);
        }
        return parameters;
    }

    /** R of {@code Call<R>}; Object for a raw {@code Call}. */
    public static JavaType result(ObjectMapper mapper, Method method) {
        Type returned = method.getGenericReturnType();
        return returned instanceof ParameterizedType call && call.getRawType() == Call.class
                ? mapper.constructType(call.getActualTypeArguments()[0])
                : mapper.constructType(Object.class);
    }

    /** Why the method's arguments or result would not survive JSON; empty when they would. */
    public static List<String> jsonProblems(ObjectMapper mapper, Method method) {
        List<String> problems = new ArrayList<>();
        JavaType[] parameters = parameters(mapper, method);
        for (int i = 0; i < parameters.length; i++) {
            String problem = jsonProblem(mapper, parameters[i]);
            if (problem != null) {
                problems.add("argument " + (i + 1) + ": " + problem);
            }
        }
        JavaType result = result(mapper, method);
        if (!result.hasRawClass(Void.class) && !result.hasRawClass(Object.class)) {
            String problem = jsonProblem(mapper, result);
            if (problem != null) {
                problems.add("result: " + problem);
            }
        }
        return problems;
    }

    /** Why Jackson could not write this type and read it back, or null when it can. */
    static String jsonProblem(ObjectMapper mapper, JavaType type) {
        try {
            JsonSerializer<Object> serializer = mapper.getSerializerProviderInstance().findValueSerializer(type);
            if (serializer instanceof UnknownSerializer) {
                return type.toCanonical() + " has no properties Jackson can write";
            }
            var context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                    .createInstance(mapper.getDeserializationConfig(), null, null);
            JsonDeserializer<Object> deserializer = context.findRootValueDeserializer(type);
            if (deserializer instanceof AbstractDeserializer) {
                return type.toCanonical() + " is abstract, with no type information to read it back";
            }
            if (deserializer instanceof BeanDeserializerBase bean && !bean.getValueInstantiator().canInstantiate()) {
                return type.toCanonical() + " cannot be created from JSON (no default constructor, no @JsonCreator)";
            }
            return null;
        } catch (Exception e) {
            return type.toCanonical() + ": " + e.getMessage();
        }
    }

    private static Class<?> classOf(String name, ClassLoader loader) throws ClassNotFoundException {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "short" -> short.class;
            case "char" -> char.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            default -> Class.forName(name, false, loader);
        };
    }
}
