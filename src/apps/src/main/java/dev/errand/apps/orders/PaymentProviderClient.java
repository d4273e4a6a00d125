package dev.errand.apps.orders;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The payment provider (in the demo and tests: the simulator, reached over HTTP). */
@RegisterRestClient(configKey = "payments")
@Path("/simulator/payments")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface PaymentProviderClient {

    record NewPayment(long orderId, long amountCents) {
    }

    /** Asks for a payment; the provider confirms it later through the service's webhook. */
    @POST
    @Path("/intents")
    Response requestPayment(@HeaderParam("Idempotency-Key") String idempotencyKey, NewPayment payment);
}
