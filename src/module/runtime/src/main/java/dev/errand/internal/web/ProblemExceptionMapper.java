package dev.errand.internal.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.errand.ProblemException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * A {@link ProblemException} thrown by any endpoint of the service is answered as problem JSON with
 * its status: the service threw Errand's type, so it asked for Errand's answer. The service's other
 * errors keep its own style unless it sets {@code errand.http.all-endpoints} ({@link AllEndpointsProblemMapper}).
 */
public class ProblemExceptionMapper {

    private final CurrentVertxRequest request;

    public ProblemExceptionMapper(CurrentVertxRequest request) {
        this.request = request;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException error, UriInfo uri) {
        return AllEndpointsProblemMapper.closingAfterTooLarge(ProblemMapping.map(error, uri), request.getCurrent());
    }
}
