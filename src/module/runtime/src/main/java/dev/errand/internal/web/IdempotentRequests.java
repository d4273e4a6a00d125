package dev.errand.internal.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.Idempotent;
import dev.errand.internal.contract.SafeText;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * The {@link Idempotent} interceptor. The key is claimed with an insert in the method's own
 * transaction: a second request with the same key waits on that row until the first commits (then
 * it is answered from the row) or rolls back (then it runs itself). The response is written to the
 * same row before the commit, so the work and its answer are stored together or not at all.
 */
@Idempotent
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300)
public class IdempotentRequests {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int MAX_KEY_LENGTH = 255;

    private final EntityManager em;
    private final CurrentVertxRequest request;
    private final ObjectMapper mapper;
    private final HttpConfig config;

    public IdempotentRequests(EntityManager em, CurrentVertxRequest request, ObjectMapper mapper, HttpConfig config) {
        this.em = em;
        this.request = request;
        this.mapper = mapper;
        this.config = config;
    }

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        String key = request.getCurrent() == null ? null : request.getCurrent().request().getHeader(Idempotent.HEADER);
        if (key == null) {
            return invocation.proceed();
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || SafeText.firstControl(key) >= 0
                || SafeText.firstUnsafe(key) >= 0) {
            return problem(400, "invalid-idempotency-key", "Invalid Idempotency-Key", Idempotent.HEADER
                    + " must be 1 to " + MAX_KEY_LENGTH + " printable characters");
        }
        String scope = scope(invocation);
        String fingerprint = fingerprint(invocation);
        try {
            return QuarkusTransaction.joiningExisting().call(() -> answer(invocation, scope, key, fingerprint));
        } catch (io.quarkus.narayana.jta.QuarkusTransactionException e) {
            // call() wraps checked exceptions; the method's own are thrown as they were.
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private Object answer(InvocationContext invocation, String scope, String key, String fingerprint) throws Exception {
        int claimed = em.createNativeQuery("""
                insert into errand_idempotency_key (scope, key, fingerprint, status, expires_at)
                values (?1, ?2, ?3, 0, ?4)
                on conflict (scope, key) do update set fingerprint = excluded.fingerprint, status = 0, body = null,
                    content_type = null, location = null, created_at = now(), expires_at = excluded.expires_at
                where errand_idempotency_key.expires_at < now()""")
                .setParameter(1, scope).setParameter(2, key).setParameter(3, fingerprint)
                .setParameter(4, Instant.now().plus(config.idempotencyKeyTtl()))
                .executeUpdate();
        // An expired key is taken over as a new one; the retention sweep removes the others in time.
        if (claimed == 0) {
            return replay(scope, key, fingerprint);
        }
        Object result = invocation.proceed();
        if (!(result instanceof Response response)) {
            throw new IllegalStateException("@Idempotent methods return a Response: " + invocation.getMethod());
        }
        if (response.getStatus() >= 500 || response.getStatus() == 429) {
            // Not an answer to keep: a retry must run again.
            em.createNativeQuery("delete from errand_idempotency_key where scope = ?1 and key = ?2")
                    .setParameter(1, scope).setParameter(2, key).executeUpdate();
            return response;
        }
        String body = response.hasEntity() ? mapper.writeValueAsString(response.getEntity()) : null;
        MediaType type = response.getMediaType() != null ? response.getMediaType()
                : body == null ? null : MediaType.APPLICATION_JSON_TYPE;
        em.createNativeQuery("""
                update errand_idempotency_key set status = ?3, body = ?4, content_type = ?5, location = ?6
                where scope = ?1 and key = ?2""")
                .setParameter(1, scope).setParameter(2, key).setParameter(3, response.getStatus())
                .setParameter(4, body).setParameter(5, type == null ? null : type.toString())
                .setParameter(6, response.getLocation() == null ? null : response.getLocation().toString())
                .executeUpdate();
        return response;
    }

    private Response replay(String scope, String key, String fingerprint) {
        Object[] row = (Object[]) em.createNativeQuery("""
                select fingerprint, status, body, content_type, location from errand_idempotency_key
                where scope = ?1 and key = ?2""")
                .setParameter(1, scope).setParameter(2, key).getSingleResult();
        if (!fingerprint.equals(row[0])) {
            return problem(422, "idempotency-key-reused", "Idempotency-Key reused", "This " + Idempotent.HEADER
                    + " was already used with another request body; a new request needs a new key");
        }
        Response.ResponseBuilder replayed = Response.status(((Number) row[1]).intValue())
                .header(REPLAYED_HEADER, "true");
        if (row[2] != null) {
            replayed.entity(row[2]).type((String) row[3]);
        }
        if (row[4] != null) {
            replayed.header(HttpHeaders.LOCATION, row[4]);
        }
        return replayed.build();
    }

    private static String scope(InvocationContext invocation) {
        Idempotent binding = invocation.getMethod().getAnnotation(Idempotent.class);
        if (binding == null) {
            binding = invocation.getMethod().getDeclaringClass().getAnnotation(Idempotent.class);
        }
        if (binding != null && !binding.scope().isBlank()) {
            return binding.scope();
        }
        return invocation.getMethod().getDeclaringClass().getName() + "#" + invocation.getMethod().getName();
    }

    /** What makes two requests the same: their parameters, as JSON. */
    private String fingerprint(InvocationContext invocation) throws Exception {
        byte[] json = mapper.writeValueAsBytes(invocation.getParameters());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private Response problem(int status, String type, String title, String detail) {
        String path = request.getCurrent() == null ? null : request.getCurrent().normalizedPath();
        return Response.status(status).type("application/problem+json")
                .entity(new Problem("/problems/" + type, title, status, detail, path)).build();
    }
}
