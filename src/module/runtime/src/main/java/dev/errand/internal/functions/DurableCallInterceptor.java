package dev.errand.internal.functions;

import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.InvocationContext;

/**
 * Around a durable method: the worker's own call of the body proceeds; every other call is recorded
 * and answered with its handle. Outside every other interceptor, so that recording a call does not
 * go through the method's Fault Tolerance (that runs around the body, on the worker).
 */
abstract class DurableCallInterceptor {

    private final FunctionCatalog catalog;
    private final CallStarter starter;

    DurableCallInterceptor(FunctionCatalog catalog, CallStarter starter) {
        this.catalog = catalog;
        this.starter = starter;
    }

    @AroundInvoke
    Object intercept(InvocationContext context) throws Exception {
        Execution current = Execution.current();
        if (current != null && current.enters(context.getMethod())) {
            return context.proceed();
        }
        return starter.start(catalog.byMethod(context.getMethod()), context.getParameters());
    }
}
