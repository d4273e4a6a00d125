package dev.errand.apps.coupons;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The company's promotions API (in the demo and tests: the simulator, reached over HTTP). */
@RegisterRestClient(configKey = "promotions")
@Path("/simulator/promo")
public interface PromotionsClient {

    /** The grant request the promotions API takes. */
    record GrantRequest(String campaignId, String userId, int amountCents) {
    }

    /** Returns the raw response: the gateway decides what each status means. */
    @POST
    @Path("/grants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response grant(@HeaderParam("Idempotency-Key") String idempotencyKey, GrantRequest request);
}
