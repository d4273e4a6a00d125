package dev.errand.apps.simulator;

import io.smallrye.config.ConfigMapping;

/**
 * Starting behaviour of the CRM simulator, the same settings as the promotions API's
 * ({@code errand.crm-simulator.error-rate}, {@code .latency}, {@code .rate-limit}, {@code .capacity},
 * {@code .outage}); {@code PUT /simulator/crm/config} changes it live.
 */
@ConfigMapping(prefix = "errand.crm-simulator")
public interface CrmSimulatorConfig extends FragileApiConfig {
}
