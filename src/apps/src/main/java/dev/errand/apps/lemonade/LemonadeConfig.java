package dev.errand.apps.lemonade;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The lemonade stand. */
@ConfigMapping(prefix = "lemonade")
public interface LemonadeConfig {

    /** How long the kitchen takes to make one order (at concurrency 4, 50 ms is about 80 orders a second). */
    @WithDefault("50ms")
    Duration kitchenTimePerOrder();
}
