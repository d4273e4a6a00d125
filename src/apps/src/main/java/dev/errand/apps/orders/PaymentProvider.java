package dev.errand.apps.orders;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.errand.PermanentFailure;
import dev.errand.RetryLater;

/**
 * Asks the payment provider for an order's payment, and says what each answer means to Errand: 429 is
 * "later", another 4xx permanent, 5xx and an unreachable provider worth retrying.
 */
@ApplicationScoped
public class PaymentProvider {

    private final PaymentProviderClient client;

    public PaymentProvider(@RestClient PaymentProviderClient client) {
        this.client = client;
    }

    /** The provider's id of the payment; the same key gives back the same payment. */
    public String requestPayment(String idempotencyKey, long orderId, long amountCents) {
        Response response;
        try {
            response = client.requestPayment(idempotencyKey, new PaymentProviderClient.NewPayment(orderId, amountCents));
        } catch (ProcessingException e) {
            throw new ProviderUnavailable("payment provider unreachable: " + e.getMessage(), e);
        }
        try (response) {
            int status = response.getStatus();
            if (status >= 200 && status < 300) {
                return String.valueOf(response.readEntity(io.vertx.core.json.JsonObject.class).getValue("paymentId"));
            }
            if (status == 429) {
                throw RetryLater.afterHeader("payment provider rate limit (429)", response.getHeaderString("Retry-After"));
            }
            if (status >= 400 && status < 500) {
                throw new PermanentFailure("payment provider refused the payment of order " + orderId + " (" + status
                        + "): " + response.readEntity(String.class));
            }
            throw new ProviderUnavailable("payment provider answered " + status);
        }
    }

    /** The provider is down or failing: worth retrying. */
    public static class ProviderUnavailable extends RuntimeException {
        public ProviderUnavailable(String message) {
            super(message);
        }

        public ProviderUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
