package dev.errand.internal.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.errand.internal.backpressure.Backpressure;
import dev.errand.internal.deadletter.DeadLetterReplayer;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Problem JSON for every endpoint of the service, when it asks for it
 * ({@code errand.http.all-endpoints=true}, read when the service is built). Without it the service's
 * own endpoints keep its own error style; Errand's always answer problem JSON (ErrandEndpoint).
 * <p>
 * One method per type, so that each wins over the built-in mapper of that type (Hibernate
 * Validator's, Quarkus Security's).
 */
@IfBuildProperty(name = "errand.http.all-endpoints", stringValue = "true")
public class AllEndpointsProblemMapper {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }

    @ServerExceptionMapper
    public Response notFound(DeadLetterReplayer.DeadLetterNotFound e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }

    @ServerExceptionMapper
    public Response notReplayable(DeadLetterReplayer.DeadLetterNotReplayable e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }

    @ServerExceptionMapper
    public Response overloaded(Backpressure.Overloaded e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }

    @ServerExceptionMapper
    public Response badCredentials(AuthenticationFailedException e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        return ProblemMapping.map(e, uri);
    }
}
