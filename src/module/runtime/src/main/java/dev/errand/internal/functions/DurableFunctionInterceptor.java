package dev.errand.internal.functions;

import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;

import dev.errand.DurableFunction;

/** {@link DurableCallInterceptor} for {@link DurableFunction}. */
@DurableFunction
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 200)
class DurableFunctionInterceptor extends DurableCallInterceptor {

    DurableFunctionInterceptor(FunctionCatalog catalog, CallStarter starter) {
        super(catalog, starter);
    }
}
