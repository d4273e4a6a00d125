package dev.errand;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * A method whose calls are durable work. Calling it through its bean does not run it: the call is
 * recorded (through the outbox, in the caller's transaction when there is one) and a {@link Call}
 * handle comes back at once. A worker then runs the body with everything Errand gives a handler: once
 * per call id, in one transaction with its processed-message marker; retries with backoff, then a dead
 * letter with its history; and the breaker pause, waiting rate limit and concurrency that the method's
 * own Fault Tolerance annotations ({@code @RateLimit}, {@code @Bulkhead}, {@code @CircuitBreaker},
 * {@code @Retry}) set, as on a handler.
 * <pre>{@code
 * @ApplicationScoped
 * public class Crm {
 *     @DurableFunction
 *     @RateLimit(value = 150, window = 1, windowUnit = ChronoUnit.SECONDS)
 *     public Call<String> sendUser(long userId) {
 *         ...
 *         return Call.returning(contactId);
 *     }
 * }
 *
 * for (User user : users) crm.sendUser(user.id());   // each call is durable work
 * }</pre>
 * Arguments and the result are JSON: a type Jackson cannot write and read fails the start of the
 * service. The method returns {@link Call}; its calls go to the queue
 * {@code errand.functions.<name>}, which any AMQP client may send to (docs/reference/wire-contract.md).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface DurableFunction {

    /**
     * The function's name, which names its queue and consumer ({@code errand.functions.<name>}) and
     * stays stable across refactorings; by default the bean class's simple name, a dot and the method.
     */
    @Nonbinding
    String name() default "";

    /**
     * How long each call may take, from its start to its end, retries included: past it, the call ends
     * {@code TIMED_OUT} as if cancelled ({@link DurableCalls#cancel}). A duration as Quarkus reads one
     * ({@code "30s"}, {@code "24h"}, {@code "PT1H30M"}); empty for none. The calls a workflow starts take the
     * sooner of their own timeout and the workflow's deadline; {@link DurableCalls#startWithin} at the call
     * can only make it sooner. A wrong value fails the build, naming the method.
     */
    @Nonbinding
    String timeout() default "";
}
