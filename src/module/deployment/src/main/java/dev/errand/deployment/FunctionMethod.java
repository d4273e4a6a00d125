package dev.errand.deployment;

import dev.errand.internal.functions.FunctionSpec;

/**
 * A durable function found in the service.
 *
 * @param spec     what the running service needs to know of it
 * @param consumer its method as a consumer: its channel, bean, breakers, and the Fault Tolerance
 *                 annotations its consumer's defaults come from
 */
record FunctionMethod(FunctionSpec spec, HandlerMethod consumer) {

    /** The generated bean whose {@code @Incoming} method feeds the function's worker. */
    String bridgeClassName() {
        return consumer.bean().name().toString() + "_ErrandFunction_" + consumer.method().name();
    }
}
