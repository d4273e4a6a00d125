package dev.errand.internal.web;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Problem JSON for every endpoint of the service, when it asks for it
 * ({@code errand.http.all-endpoints=true}, read when the service is built). Without it the service's
 * own endpoints keep its own error style; Errand's always answer problem JSON (each of its resources
 * maps through {@link ProblemMapping}).
 * <p>
 * Each type is named, not only {@code Exception}, so that this mapper wins over the built-in mapper of
 * that type (Hibernate Validator's, Quarkus Security's).
 */
@IfBuildProperty(name = "errand.http.all-endpoints", stringValue = "true")
public class AllEndpointsProblemMapper {

    private final CurrentVertxRequest request;

    public AllEndpointsProblemMapper(CurrentVertxRequest request) {
        this.request = request;
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class, ForbiddenException.class,
            ConstraintViolationException.class, WebApplicationException.class, JsonProcessingException.class,
            MismatchedInputException.class, InvalidFormatException.class, LimitedBody.TooLarge.class,
            Exception.class })
    public Response problem(Exception error, UriInfo uri) {
        return closingAfterTooLarge(ProblemMapping.map(error, uri), request.getCurrent());
    }

    /** A 413's connection closes once answered (over HTTP/1): the rest of the body is not wanted. */
    static Response closingAfterTooLarge(Response response, RoutingContext context) {
        if (response.getStatus() == 413 && context != null && context.request().version() != HttpVersion.HTTP_2) {
            // Without this the server would go on reading the body to the end, to keep the connection,
            // however large it is.
            context.addEndHandler(ended -> context.request().connection().close());
            return Response.fromResponse(response).header("Connection", "close").build();
        }
        return response;
    }
}
