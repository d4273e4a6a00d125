package dev.errand.apps.simulator;

import io.smallrye.config.ConfigMapping;

/** Starting behaviour of the promotions API simulator; {@code PUT /simulator/promo/config} changes it live. */
@ConfigMapping(prefix = "errand.simulator")
public interface SimulatorConfig extends FragileApiConfig {
}
