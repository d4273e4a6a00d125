package dev.errand.deployment;

import java.util.List;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.Type;

/**
 * An annotated handler found in the service: an {@code @Incoming} method that takes a
 * {@code dev.errand.Task}.
 *
 * @param channel   the {@code @Incoming} channel, named once, on the method
 * @param taskIndex which parameter is the {@code Task}; the other is the payload
 * @param breakers  the circuit breakers it goes through: its own and those of the methods it calls
 * @param subscribes the event types of its {@code @Subscribe}; empty for a work-queue handler
 */
record HandlerMethod(String channel, ClassInfo bean, MethodInfo method, int taskIndex, List<String> breakers,
        List<String> subscribes) {

    boolean subscriber() {
        return !subscribes.isEmpty();
    }

    int payloadIndex() {
        return 1 - taskIndex;
    }

    Type payload() {
        return method.parameterType(payloadIndex());
    }

    String describe() {
        return bean.name() + "#" + method.name();
    }

    /** The generated bean that SmallRye sees: one {@code @Incoming(channel)} method taking the message. */
    String bridgeClassName() {
        return bean.name().toString() + "_ErrandHandler_" + method.name();
    }
}
