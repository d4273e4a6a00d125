package dev.errand.internal.functions;

import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;

import dev.errand.DurableWorkflow;

/** {@link DurableCallInterceptor} for {@link DurableWorkflow}. */
@DurableWorkflow
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 200)
class DurableWorkflowInterceptor extends DurableCallInterceptor {

    DurableWorkflowInterceptor(FunctionCatalog catalog, CallStarter starter) {
        super(catalog, starter);
    }
}
