package dev.errand.core.handling;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.errand.core.flow.ChannelDispatcher;
import dev.errand.core.problem.ProblemException;
import dev.errand.core.security.Roles;

/** What each consumer is doing: its concurrency limit, running and waiting messages, why it is paused. */
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
}
