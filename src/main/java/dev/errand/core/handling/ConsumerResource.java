package dev.errand.core.handling;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.errand.core.flow.ChannelDispatcher;
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
}
