package dev.errand.apps.lemonade;

import java.net.URI;
import java.sql.SQLException;
import java.util.Map;
import java.util.OptionalLong;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.Idempotent;
import dev.errand.Admission;
import dev.errand.ProblemException;

/** The lemonade stand: orders taken at once, made, rewarded and counted by three subscribers. */
// The stand's public API, as /orders: anyone may order, within validation and backpressure.
@PermitAll
@Path("/lemonade")
@Produces(MediaType.APPLICATION_JSON)
public class LemonadeResource {

    /** {@code POST /lemonade/orders}. */
    public record OrderRequest(@NotBlank @Size(max = 100) String customer,
            @Min(1) @Max(LemonadeEvents.MAX_CUPS) int cups) {
    }

    public record Accepted(long orderId) {
    }

    private final LemonadeStand stand;
    private final Admission backpressure;

    public LemonadeResource(LemonadeStand stand, Admission backpressure) {
        this.stand = stand;
        this.backpressure = backpressure;
    }

    @POST
    @Path("/orders")
    @Consumes(MediaType.APPLICATION_JSON)
    @Idempotent
    public Response order(@Valid @NotNull OrderRequest request) {
        // A burst waits in the kitchen's queue, up to errand.backpressure."errand.events.kitchen".max-depth.
        backpressure.admit(LemonadeEvents.KITCHEN_QUEUE);
        long id = stand.take(request.customer(), request.cups());
        return Response.accepted(new Accepted(id)).location(URI.create("/lemonade/orders/" + id)).build();
    }

    @GET
    @Path("/orders/{id}")
    public LemonadeStand.OrderView get(@PathParam("id") long id) throws SQLException {
        LemonadeStand.OrderView order = stand.find(id);
        if (order == null) {
            throw new ProblemException(404, "order-not-found", "Order not found", "No lemonade order with id " + id);
        }
        return order;
    }

    @GET
    @Path("/stats")
    public Map<String, Object> stats() throws SQLException {
        LemonadeStand.Totals totals = stand.totals();
        OptionalLong waiting = backpressure.depth(LemonadeEvents.KITCHEN_QUEUE);
        return Map.of("accepted", totals.accepted(),
                "kitchen", Map.of("done", totals.ready(), "waiting", waiting.isPresent() ? waiting.getAsLong() : -1),
                "loyalty", Map.of("done", totals.loyaltyOrders(), "points", totals.points()),
                "analytics", Map.of("done", totals.analyticsOrders(), "cups", totals.cups()));
    }
}
