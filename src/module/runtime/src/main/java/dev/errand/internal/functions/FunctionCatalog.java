package dev.errand.internal.functions;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;

/**
 * The durable functions of the service, resolved at start-up from what the build found: their
 * methods and the JSON types of their arguments and results. The methods are read, never invoked:
 * each function's generated bridge calls its own. A type that Jackson cannot
 * both write and read stops the start, so that no call is ever recorded that no worker could run.
 */
@Singleton
public class FunctionCatalog {

    private static volatile List<FunctionSpec> specs = List.of();

    /** A function, ready to be called and run. */
    public record Function(FunctionSpec spec, Method method, JavaType[] parameters, JavaType result) {

        public String name() {
            return spec.name();
        }

        public String channel() {
            return spec.channel();
        }

        public boolean workflow() {
            return spec.workflow();
        }
    }

    private final ObjectMapper mapper;
    private final Map<String, Function> byName = new ConcurrentHashMap<>();
    private final Map<Method, Function> byMethod = new ConcurrentHashMap<>();

    public FunctionCatalog(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static void record(List<FunctionSpec> found) {
        specs = List.copyOf(found);
    }

    /** Before the consumers start: a function whose types do not map to JSON stops the service here. */
    void resolveAtStart(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 200) StartupEvent start) {
        resolve();
    }

    private synchronized void resolve() {
        if (!byName.isEmpty() || specs.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        Map<String, Function> resolved = new LinkedHashMap<>();
        for (FunctionSpec spec : specs) {
            try {
                Function function = function(spec);
                List<String> wrong = FunctionTypes.jsonProblems(mapper, function.method());
                if (wrong.isEmpty()) {
                    resolved.put(spec.name(), function);
                } else {
                    wrong.forEach(problem -> problems.add(spec.beanClass() + "#" + spec.method() + ": " + problem));
                }
            } catch (ReflectiveOperationException e) {
                problems.add(spec.beanClass() + "#" + spec.method() + ": " + e);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Errand cannot run these durable functions: their arguments and result"
                    + " must be JSON that Jackson can write and read back:\n  - " + String.join("\n  - ", problems));
        }
        resolved.values().forEach(function -> {
            byName.put(function.name(), function);
            byMethod.put(function.method(), function);
        });
    }

    private Function function(FunctionSpec spec) throws ReflectiveOperationException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Method method = FunctionTypes.method(spec.beanClass(), spec.method(), spec.parameters(), loader);
        JavaType[] parameters = FunctionTypes.parameters(mapper, method);
        JavaType result = FunctionTypes.result(mapper, method);
        return new Function(spec, method, parameters, result);
    }

    public Function byName(String name) {
        resolve();
        Function function = byName.get(name);
        if (function == null) {
            throw new IllegalArgumentException("no durable function named " + name);
        }
        return function;
    }

    public Function byMethod(Method method) {
        resolve();
        Function function = byMethod.get(method);
        if (function == null) {
            throw new IllegalStateException("no durable function for " + method);
        }
        return function;
    }

    /** The name of the function whose consumer this channel is; the channel itself if none is. */
    public String nameOf(String channel) {
        return functions().stream().filter(function -> function.channel().equals(channel)).map(Function::name)
                .findFirst().orElse(channel);
    }

    public List<Function> functions() {
        resolve();
        return List.copyOf(byName.values());
    }
}
