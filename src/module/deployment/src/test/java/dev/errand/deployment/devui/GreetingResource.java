package dev.errand.deployment.devui;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;

/** What the test sends the service through: a greeting to queue, a welcome workflow to start. */
@Path("/greetings")
public class GreetingResource {

    private final Outbox outbox;
    private final Greeter greeter;

    GreetingResource(Outbox outbox, Greeter greeter) {
        this.outbox = outbox;
        this.greeter = greeter;
    }

    @POST
    @Path("{name}")
    @Transactional
    public String greet(@PathParam("name") String name) {
        String id = "greeting:" + name;
        outbox.enqueue(OutboundMessage.json(Greeter.CHANNEL, id, "greet", null, "{\"name\":\"" + name + "\"}"));
        return id;
    }

    @POST
    @Path("welcome/{name}")
    public String welcome(@PathParam("name") String name) {
        return greeter.welcome(name).id();
    }
}
