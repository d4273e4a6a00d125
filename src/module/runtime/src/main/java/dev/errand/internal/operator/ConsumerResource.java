package dev.errand.internal.operator;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.handling.ConsumerRegistry;
import dev.errand.ProblemException;
import dev.errand.internal.web.ProblemMapping;
import dev.errand.Roles;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/** What each consumer is doing: its concurrency limit, running and waiting messages, why it is paused. */
// Errand's operator surface; a service leaves it out with errand.http.operator-api=false.
@EndpointDisabled(name = "errand.http.operator-api", stringValue = "false")
@OperatorApi
@Path("/errand/consumers")
@Produces(MediaType.APPLICATION_JSON)
public class ConsumerResource {

    private final ConsumerRegistry consumers;

    public ConsumerResource(ConsumerRegistry consumers) {
        this.consumers = consumers;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<ChannelDispatcher.View> list() {
        return consumers.views();
    }

    /**
     * Stops the consumer starting messages until {@code resume}: for a downstream's maintenance
     * window, or to let a queue build up. Running messages finish; held ones stay on the broker.
     */
    @POST
    @Path("{channel}/pause")
    @RolesAllowed(Roles.ADMIN)
    public ChannelDispatcher.View pause(@PathParam("channel") String channel) {
        return switchTo(channel, true);
    }

    @POST
    @Path("{channel}/resume")
    @RolesAllowed(Roles.ADMIN)
    public ChannelDispatcher.View resume(@PathParam("channel") String channel) {
        return switchTo(channel, false);
    }

    private ChannelDispatcher.View switchTo(String channel, boolean pause) {
        return consumers.pauseByOperator(channel, pause).orElseThrow(() -> new ProblemException(404,
                "consumer-not-found", "Consumer not found", "No consumer reads channel " + channel));
    }

    // Errand's endpoints answer problem JSON whatever the service's own style: a mapper declared in a
    // resource applies to that resource alone, and each delegates to the one mapping. Public: the
    // generated mapper that calls it may live in another class loader.
    @ServerExceptionMapper
    public Response problem(Throwable error, UriInfo uri) {
        return ProblemMapping.map(error, uri);
    }
}
