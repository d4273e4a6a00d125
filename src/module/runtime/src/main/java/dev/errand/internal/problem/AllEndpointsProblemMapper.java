package dev.errand.internal.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.errand.internal.backpressure.Backpressure;
import dev.errand.internal.deadletter.DeadLetterReplayer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

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

    @ServerExceptionMapper({ ProblemException.class, DeadLetterReplayer.DeadLetterNotFound.class,
            DeadLetterReplayer.DeadLetterNotReplayable.class, Backpressure.Overloaded.class,
            UnauthorizedException.class, AuthenticationFailedException.class, ForbiddenException.class,
            ConstraintViolationException.class, WebApplicationException.class, JsonProcessingException.class,
            MismatchedInputException.class, InvalidFormatException.class, LimitedBody.TooLarge.class,
            Exception.class })
    public Response problem(Exception error, UriInfo uri) {
        return ProblemMapping.map(error, uri);
    }
}
