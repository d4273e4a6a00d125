package dev.errand.internal.functions;

import dev.errand.Call;

/**
 * A durable function's method, called by its generated bridge: a direct call through the bean's client
 * proxy (so its interceptors run), with no reflection.
 */
public interface FunctionBody {

    /** Calls the method with its arguments, read from JSON as its parameters' types. */
    Call<?> call(Object[] arguments) throws Exception;
}
