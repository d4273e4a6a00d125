package dev.errand.apps.orders;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** When an order waits for the payment provider's confirmation, and for how long. */
@ConfigMapping(prefix = "orders")
public interface OrdersConfig {

    /**
     * An order whose total is above this many cents waits for the payment provider's webhook
     * ({@code POST /payments/{orderId}/confirmed}) before its steps run; its stock is reserved meanwhile.
     */
    @WithDefault("50000")
    long confirmAboveCents();

    /**
     * How long such an order waits for the confirmation, from when it is placed. Without it by then, the
     * order is cancelled ({@code PAYMENT_TIMED_OUT}) and its stock released.
     */
    @WithDefault("30m")
    Duration paymentTimeout();

    /**
     * The secret the payment provider sends in the {@code Payment-Webhook-Secret} header of each webhook
     * call; a call without it is refused (401). Given from a secret store in production; the dev and test
     * profiles have throwaway ones. Unset, the service makes a random one at each start, which only the
     * built-in payment simulator knows ({@link PaymentWebhookSecret}).
     */
    Optional<String> paymentWebhookSecret();
}
