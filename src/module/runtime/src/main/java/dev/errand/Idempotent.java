package dev.errand;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * A REST method (returning {@code Response}) that honours an {@code Idempotency-Key} header, the way
 * payment APIs do. A client that did not get the answer to its request (a timeout, a dropped
 * connection, a crash of the service after the commit) sends it again with the same key and gets the
 * first answer, and nothing is done twice:
 * <ul>
 * <li>the same key with the same body returns the first response (status, body, {@code Location});
 * <li>the same key with another body is a 422 problem;
 * <li>the same key while the first request is still running waits for it, then answers as above.
 * </ul>
 * The method runs in a transaction that also stores the key and the response, so the work and the
 * key commit together; work it does in transactions of its own must join it
 * ({@code QuarkusTransaction.joiningExisting()} or {@code @Transactional}). Server errors (5xx),
 * 429 and exceptions store nothing, so a retry runs again. Keys are kept for
 * {@code errand.http.idempotency-key-ttl}. Without the header the method runs as usual.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Idempotent {

    /** The header that carries the key. */
    String HEADER = "Idempotency-Key";

    /** Where keys are kept apart: by default the method; two methods sharing a scope share their keys. */
    @Nonbinding
    String scope() default "";
}
