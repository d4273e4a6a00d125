package dev.errand.apps.coupons;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.errand.OutsideTransaction;
import dev.errand.PermanentFailure;
import dev.errand.RetryLater;
import io.smallrye.faulttolerance.api.CircuitBreakerName;

/**
 * Calls the promotions API behind a circuit breaker, translating its answers into what Errand retries
 * or not. The rate it is called at is the consumer's ({@code errand.consumers.coupon-grants.rate-limit}),
 * and while the breaker is open the consumer pauses rather than calling.
 */
@ApplicationScoped
public class PromotionsGateway {

    public static final String BREAKER = "promotions-api";

    private final PromotionsClient client;
    private final OutsideTransaction outsideTransaction;

    public PromotionsGateway(@RestClient PromotionsClient client, OutsideTransaction outsideTransaction) {
        this.client = client;
        this.outsideTransaction = outsideTransaction;
    }

    /**
     * Grants one coupon; the same idempotency key never grants twice on the API's side.
     *
     * @return the API's coupon id
     * @throws RetryLater        on 429 (honouring Retry-After); not a sign of an unhealthy API
     * @throws PermanentFailure  on any other 4xx: the request itself is wrong
     * @throws PromotionsUnavailable on 5xx and timeouts
     */
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2,
            skipOn = { RetryLater.class, PermanentFailure.class })
    @CircuitBreakerName(BREAKER)
    public String grant(String idempotencyKey, GrantCoupon command) throws Exception {
        PromotionsClient.GrantRequest request = new PromotionsClient.GrantRequest(
                command.campaignId().toString(), command.userId(), command.amountCents());
        try (Response response = outsideTransaction.call(() -> client.grant(idempotencyKey, request))) {
            int status = response.getStatus();
            if (status == 200 || status == 201) {
                return String.valueOf(response.readEntity(io.vertx.core.json.JsonObject.class).getValue("couponId"));
            }
            if (status == 429) {
                throw RetryLater.afterHeader("promotions API rate limit (429)", response.getHeaderString("Retry-After"));
            }
            if (status >= 400 && status < 500) {
                throw new PermanentFailure("promotions API refused the grant (" + status + "): "
                        + detail(response.readEntity(String.class)));
            }
            throw new PromotionsUnavailable("promotions API answered " + status);
        } catch (ProcessingException e) {
            throw new PromotionsUnavailable("promotions API unreachable: " + e.getMessage(), e);
        }
    }

    /** The problem's detail when the API answered problem JSON, else the body as it came. */
    private static String detail(String body) {
        try {
            String detail = new io.vertx.core.json.JsonObject(body).getString("detail");
            return detail == null ? body : detail;
        } catch (RuntimeException notJson) {
            return body;
        }
    }

    /** The API is down, failing or too slow: worth retrying, and counted by the circuit breaker. */
    public static class PromotionsUnavailable extends RuntimeException {
        public PromotionsUnavailable(String message) {
            super(message);
        }

        public PromotionsUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
