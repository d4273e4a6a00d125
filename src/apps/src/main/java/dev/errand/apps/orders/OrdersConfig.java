package dev.errand.apps.orders;

import java.time.Duration;

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
}
