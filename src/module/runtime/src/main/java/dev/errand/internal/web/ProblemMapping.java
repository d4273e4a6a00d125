package dev.errand.internal.web;

import java.util.Locale;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import dev.errand.ProblemException;
import dev.errand.internal.database.DatabaseUnavailable;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place an error becomes RFC 7807 problem JSON. Errand's own endpoints map every error
 * through it; a service's other endpoints do only when it asks ({@code errand.http.all-endpoints}).
 */
public final class ProblemMapping {

    private static final Logger LOG = Logger.getLogger(ProblemMapping.class);

    private ProblemMapping() {
    }

    public static Response map(Throwable error, UriInfo uri) {
        if (error instanceof ProblemException e) {
            // The exception carries its own status: this mapping needs to know no type of the features'.
            Response response = Problems.response(e.status(), e.type(), e.title(), e.getMessage(), uri);
            return e.retryAfter().map(after -> Response.fromResponse(response)
                    .header("Retry-After", Math.max(1, (after.toMillis() + 999) / 1000)).build())
                    .orElse(response);
        }
        // Authentication is lazy (quarkus.http.auth.proactive=false in the demo) so that these reach
        // JAX-RS and answer in the same problem JSON as every other error.
        if (error instanceof UnauthorizedException) {
            return challenge(Problems.response(401, "unauthorized", "Unauthorized", "Credentials are required", uri));
        }
        if (error instanceof AuthenticationFailedException) {
            return challenge(Problems.response(401, "unauthorized", "Unauthorized", "The credentials were not accepted",
                    uri));
        }
        if (error instanceof ForbiddenException) {
            return Problems.response(403, "forbidden", "Forbidden", "Your user lacks the role this needs", uri);
        }
        LimitedBody.TooLarge tooLarge = cause(error, LimitedBody.TooLarge.class);
        if (tooLarge != null) {
            return Problems.response(413, "body-too-large", "Request body too large",
                    "JSON bodies are limited to " + tooLarge.limit() + " bytes", uri);
        }
        JsonProcessingException json = cause(error, JsonProcessingException.class);
        if (json != null) {
            return Problems.response(400, "invalid-json", "Invalid JSON", JsonErrors.describe(json), uri);
        }
        if (DatabaseUnavailable.causedBy(error)) {
            return Response.fromResponse(Problems.response(503, "database-unavailable", "Database unavailable",
                    "The database cannot be reached just now; try again shortly", uri))
                    .header("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS).build();
        }
        if (error instanceof ConstraintViolationException e) {
            return Problems.response(400, "invalid-request", "Invalid request", e.getMessage(), uri);
        }
        if (error instanceof NotFoundException e && e.getCause() != null
                && !(e.getCause() instanceof WebApplicationException)) {
            // JAX-RS answers 404 to a query or path parameter it cannot convert ("page=abc",
            // "couponCents=2147483648", "status=BOGUS"); the resource exists, the request is wrong.
            return Problems.response(400, "invalid-parameter", "Invalid parameter",
                    "A parameter could not be read: " + ParameterErrors.describe(e.getCause()), uri);
        }
        if (error instanceof WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status < 400) {
                return e.getResponse();
            }
            String title = e.getResponse().getStatusInfo().getReasonPhrase();
            return Problems.response(status, slug(title), title, e.getMessage(), uri);
        }
        // The detail of an unexpected error stays in the log; the client learns only that it happened.
        LOG.error("Unexpected error on " + uri.getPath(), error);
        return Problems.response(500, "internal-error", "Internal error", "An unexpected error occurred; see the server log",
                uri);
    }

    /** The first of the causes of {@code error} (itself included) of that type, or null. */
    static <T extends Throwable> T cause(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Response challenge(Response response) {
        return Response.fromResponse(response).header("WWW-Authenticate", "Basic realm=\"Quarkus\"").build();
    }

    private static String slug(String title) {
        return title == null ? "error" : title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
