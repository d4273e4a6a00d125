package dev.errand.core.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.errand.core.deadletter.DeadLetterReplayer;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** The one place REST errors become RFC 7807 problem JSON. */
public class ProblemExceptionMapper {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.type(), e.title(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response notFound(DeadLetterReplayer.DeadLetterNotFound e, UriInfo uri) {
        return respond(404, "not-found", "Not found", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response notReplayable(DeadLetterReplayer.DeadLetterNotReplayable e, UriInfo uri) {
        return respond(409, "not-replayable", "Dead letter cannot be replayed", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response overloaded(dev.errand.core.backpressure.Backpressure.Overloaded e, UriInfo uri) {
        return Response.fromResponse(respond(429, "overloaded", "Too much work waiting", e.getMessage(), uri))
                .header("Retry-After", e.retryAfterSeconds()).build();
    }

    // Authentication is lazy (quarkus.http.auth.proactive=false) so that these reach JAX-RS and
    // answer in the same problem JSON as every other error.
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return challenge(respond(401, "unauthorized", "Unauthorized", "Credentials are required", uri));
    }

    @ServerExceptionMapper
    public Response badCredentials(AuthenticationFailedException e, UriInfo uri) {
        return challenge(respond(401, "unauthorized", "Unauthorized", "The credentials were not accepted", uri));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(403, "forbidden", "Forbidden", "Your user lacks the role this needs", uri);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        return respond(400, "invalid-request", "Invalid request", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status < 400) {
            return e.getResponse();
        }
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(status, slug(title), title, e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        // The detail of an unexpected error stays in the log; the client learns only that it happened.
        LOG.error("Unexpected error on " + uri.getPath(), e);
        return respond(500, "internal-error", "Internal error", "An unexpected error occurred; see the server log",
                uri);
    }

    private static Response challenge(Response response) {
        return Response.fromResponse(response).header("WWW-Authenticate", "Basic realm=\"Quarkus\"").build();
    }

    private static Response respond(int status, String type, String title, String detail, UriInfo uri) {
        return Problems.response(status, type, title, detail, uri);
    }

    private static String slug(String title) {
        return title == null ? "error" : title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
