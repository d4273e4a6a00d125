package dev.errand.apps.coupons;

import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;

/** How the worker treats the promotions API. */
@ConfigMapping(prefix = "errand.promo")
public interface PromoConfig {

    /**
     * Requests per second the worker allows itself against the promotions API. Over it, a call waits
     * for its turn rather than failing. Unset: no limit.
     */
    OptionalInt rateLimit();
}
