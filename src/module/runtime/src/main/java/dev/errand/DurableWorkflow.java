package dev.errand;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * A durable function ({@link DurableFunction}) whose steps are recorded: its body uses
 * {@link Workflow} to run steps, sleep and wait for the functions it starts, and resumes at its first
 * unfinished step after a crash, a redeploy or a retry.
 * <pre>{@code
 * @DurableWorkflow
 * public Call<Summary> export(long exportId) {
 *     List<Long> ids = workflow.step("users", LONGS, key -> users.ids());
 *     List<Call<String>> sent = new ArrayList<>();
 *     for (long id : ids) sent.add(crm.sendUser(id));                  // fan-out: child functions
 *     Workflow.Results<String> results = workflow.awaitAll(sent, String.class);   // fan-in, no thread held
 *     workflow.step("report", Void.class, key -> crm.report(key, results.succeeded().size()));
 *     return Call.returning(new Summary(results.succeeded().size(), results.failed().size()));
 * }
 * }</pre>
 * The code between steps runs again on every resume, so it must be deterministic (docs/guide/durable.md).
 * A workflow carries no {@code @Retry}, {@code @CircuitBreaker} or {@code @Fallback}: its steps and
 * the functions it starts carry them.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface DurableWorkflow {

    /** As {@link DurableFunction#name()}. */
    @Nonbinding
    String name() default "";

    /** As {@link DurableFunction#timeout()}: the whole workflow's, its waits and children included. */
    @Nonbinding
    String timeout() default "";

    /**
     * The signals ({@link Workflow#awaitSignal}) this workflow takes from AMQP clients outside the service,
     * by name: a payment provider's bridge, another team's service. They send to the queue
     * {@value WireContract#SIGNALS_QUEUE} (docs/reference/wire-contract.md). A signal of any other name, or
     * to a workflow that declares none, is dead-lettered unkept: the sender user cannot wake what the
     * service did not open to it. Each name is 1 to 120 letters, digits, '.', '_' or '-'. The service's own
     * code sends any signal through {@link Signals}, declared here or not.
     */
    @Nonbinding
    String[] outsideSignals() default {};
}
