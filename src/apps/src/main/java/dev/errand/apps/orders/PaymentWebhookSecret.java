package dev.errand.apps.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * The secret the payment provider sends with each webhook call ({@link #HEADER}), so that only the provider
 * confirms payments: {@code orders.payment-webhook-secret}, shared with the provider out of band. Without
 * it (production settings with none given), a random one for this process: the simulated provider, in this
 * same process, sends it, and nobody else can confirm a payment until the setting is given.
 */
@Singleton
public class PaymentWebhookSecret {

    /** The request header that carries the secret. */
    public static final String HEADER = "Payment-Webhook-Secret";

    private static final Logger LOG = Logger.getLogger(PaymentWebhookSecret.class);

    private final byte[] secret;

    public PaymentWebhookSecret(OrdersConfig config) {
        String value = config.paymentWebhookSecret().filter(s -> !s.isBlank()).orElseGet(() -> {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            LOG.info("orders.payment-webhook-secret is not set: a random secret for this process, which only the"
                    + " built-in payment simulator knows; set it to let a real provider call the webhook");
            return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        });
        this.secret = value.getBytes(StandardCharsets.UTF_8);
    }

    /** The secret, for the simulated provider in this process: never log it. */
    public String value() {
        return new String(secret, StandardCharsets.UTF_8);
    }

    /** Whether a request's header is the secret; in constant time, so its answer's timing gives nothing away. */
    public boolean matches(String header) {
        return header != null && MessageDigest.isEqual(secret, header.getBytes(StandardCharsets.UTF_8));
    }
}
