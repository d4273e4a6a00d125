package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.Index;
import org.jboss.jandex.MethodInfo;
import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.DurableFunction;
import dev.errand.internal.functions.FunctionBody;
import dev.errand.internal.functions.FunctionSpec;
import dev.errand.internal.handling.MessageRun;
import io.quarkus.arc.deployment.GeneratedBeanBuildItem;

/** The build makes each durable function a bridge, as it does a handler: the body is called directly. */
class FunctionBridgeTest {

    public record Greeting(String text) {
    }

    public static class Greeter {

        /** The stack the body ran on, from its caller down. */
        StackTraceElement[] calledFrom;

        @DurableFunction(name = "greeter")
        public Call<Greeting> greet(String name, int times, long[] extra) {
            StackTraceElement[] stack = new Throwable().getStackTrace();
            calledFrom = Arrays.copyOfRange(stack, 1, stack.length);
            return Call.returning(new Greeting((name + "!").repeat(times) + extra.length));
        }
    }

    @Test
    void theBuildGeneratesABridgeThatIsTheFunctionsConsumerAndCallsItsBodyWithoutReflection() throws Exception {
        Class<?> bridge = bridgeOf(Greeter.class, "greet", "greeter");

        assertTrue(MessageRun.class.isAssignableFrom(bridge), "the consumer runs it as it runs a handler");
        assertTrue(FunctionBody.class.isAssignableFrom(bridge));
        assertNotNull(bridge.getAnnotation(Singleton.class));
        Method receive = bridge.getMethod("receive", Message.class);
        assertEquals("errand-functions-greeter", receive.getAnnotation(Incoming.class).value());
        assertNotNull(bridge.getDeclaredMethod("init").getAnnotation(PostConstruct.class),
                "the function is looked up once, not per message");

        Object instance = bridge.getDeclaredConstructor().newInstance();
        Greeter greeter = new Greeter();
        Field target = bridge.getDeclaredField("target");
        target.setAccessible(true);
        target.set(instance, greeter);

        Call<?> returned = ((FunctionBody) instance).call(new Object[] { "hi", 2, new long[] { 7, 8 } });

        assertEquals(new Greeting("hi!hi!2"), returned.returned());
        // The body's caller is the bridge itself: no Method.invoke, no reflection frame, in between.
        assertEquals(bridge.getName(), greeter.calledFrom[0].getClassName());
        assertEquals("call", greeter.calledFrom[0].getMethodName());
        assertEquals(FunctionBridgeTest.class.getName(), greeter.calledFrom[1].getClassName(),
                Arrays.toString(greeter.calledFrom));
    }

    /** Runs the build step on one method and loads the bridge it generates. */
    private static Class<?> bridgeOf(Class<?> bean, String methodName, String name) throws Exception {
        Index index = Index.of(bean);
        ClassInfo type = index.getClassByName(bean);
        MethodInfo method = type.firstMethod(methodName);
        List<String> parameters = method.parameterTypes().stream()
                .map(parameter -> parameter.kind() == org.jboss.jandex.Type.Kind.PRIMITIVE
                        ? parameter.asPrimitiveType().name().toString()
                        : parameter.name().toString())
                .toList();
        FunctionSpec spec = new FunctionSpec(name, false, bean.getName(), methodName, parameters);
        FunctionMethod function = new FunctionMethod(spec,
                new HandlerMethod(spec.channel(), type, method, -1, List.of(), List.of()));
        List<GeneratedBeanBuildItem> generated = new ArrayList<>();
        new FunctionProcessor().generateBridges(new FunctionsBuildItem(List.of(function)), generated::add);

        Map<String, byte[]> classes = new HashMap<>();
        generated.forEach(item -> classes.put(item.getName().replace('/', '.'), item.getData()));
        assertEquals(List.of(function.bridgeClassName()), List.copyOf(classes.keySet()));
        ClassLoader loader = new ClassLoader(FunctionBridgeTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String className) throws ClassNotFoundException {
                byte[] bytes = classes.get(className);
                if (bytes == null) {
                    throw new ClassNotFoundException(className);
                }
                return defineClass(className, bytes, 0, bytes.length);
            }
        };
        Class<?> bridge = loader.loadClass(function.bridgeClassName());
        assertArrayEquals(new Class<?>[] { Object[].class }, bridge.getMethod("call", Object[].class).getParameterTypes());
        return bridge;
    }
}
