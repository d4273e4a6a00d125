package dev.errand.apps.simulator;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Starting behaviour of the payment provider simulator: the promotions API's failure settings
 * ({@code errand.payment-simulator.error-rate}, {@code .latency}, ...) for its payment requests, and how
 * it calls the service's webhook back. {@code PUT /simulator/payments/config} and
 * {@code PUT /simulator/payments/webhooks} change them live.
 */
@ConfigMapping(prefix = "errand.payment-simulator")
public interface PaymentSimulatorConfig extends FragileApiConfig {

    /** How it confirms a payment it was asked for: on time, late, twice or never. */
    @WithDefault("on-time")
    PaymentWebhooks.Mode webhook();

    /** After how long an on-time (or twice-sent) confirmation is sent. */
    @WithDefault("2s")
    Duration webhookDelay();

    /** After how long a late confirmation is sent: longer than {@code orders.payment-timeout}. */
    @WithDefault("35m")
    Duration lateDelay();
}
