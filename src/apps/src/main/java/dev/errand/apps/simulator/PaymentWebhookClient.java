package dev.errand.apps.simulator;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.errand.apps.orders.PaymentWebhookSecret;

/** The service's webhook, as the payment provider calls it: over HTTP, from outside, with the shared secret. */
@RegisterRestClient(configKey = "payment-webhooks")
@Path("/payments")
@Consumes(MediaType.APPLICATION_JSON)
public interface PaymentWebhookClient {

    record Confirmed(String paymentId, long amountCents) {
    }

    @POST
    @Path("/{orderId}/confirmed")
    Response confirmed(@PathParam("orderId") long orderId,
            @HeaderParam(PaymentWebhookSecret.HEADER) String secret, Confirmed payment);
}
