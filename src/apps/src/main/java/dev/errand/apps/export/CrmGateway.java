package dev.errand.apps.export;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.errand.PermanentFailure;
import dev.errand.RetryLater;
import io.smallrye.faulttolerance.api.CircuitBreakerName;

/**
 * Calls the CRM behind a circuit breaker, and says what each answer means to Errand: 429 is "later"
 * (honouring Retry-After), another 4xx is permanent, 5xx and timeouts are worth retrying and count
 * toward the breaker, whose opening pauses the export's consumers instead of spending their attempts.
 */
@ApplicationScoped
public class CrmGateway {

    public static final String BREAKER = "crm-api";

    private final CrmClient client;

    public CrmGateway(@RestClient CrmClient client) {
        this.client = client;
    }

    /** Creates the contact once per key; the same key gives back the same contact. */
    public String createContact(String idempotencyKey, ExportedUser user) {
        Response response = call("create contact", () -> client.createContact(idempotencyKey,
                new CrmClient.NewContact(user.firstName(), user.lastName(), user.email())));
        return String.valueOf(response.readEntity(io.vertx.core.json.JsonObject.class).getValue("contactId"));
    }

    public void assignOwner(String contactId, String owner) {
        call("assign owner", () -> client.assignOwner(contactId, new CrmClient.Owner(owner))).close();
    }

    public void report(String idempotencyKey, CrmClient.Report report) {
        call("report", () -> client.report(idempotencyKey, report)).close();
    }

    /** Every CRM request goes through this one breaker (ArC intercepts the gateway's calls to itself). */
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2,
            skipOn = { RetryLater.class, PermanentFailure.class })
    @CircuitBreakerName(BREAKER)
    Response call(String what, Supplier<Response> request) {
        Response response;
        try {
            response = request.get();
        } catch (ProcessingException e) {
            throw new CrmUnavailable("CRM unreachable (" + what + "): " + e.getMessage(), e);
        }
        int status = response.getStatus();
        if (status >= 200 && status < 300) {
            return response;
        }
        String body = response.readEntity(String.class);
        response.close();
        if (status == 429) {
            throw RetryLater.afterHeader("CRM rate limit (429) on " + what, response.getHeaderString("Retry-After"));
        }
        if (status >= 400 && status < 500) {
            throw new PermanentFailure("CRM refused " + what + " (" + status + "): " + body);
        }
        throw new CrmUnavailable("CRM answered " + status + " to " + what);
    }

    /** The CRM is down, failing or too slow: worth retrying, and counted by the breaker. */
    public static class CrmUnavailable extends RuntimeException {
        public CrmUnavailable(String message) {
            super(message);
        }

        public CrmUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
