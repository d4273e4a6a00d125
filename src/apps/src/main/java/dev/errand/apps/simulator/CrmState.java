package dev.errand.apps.simulator;

import jakarta.inject.Singleton;

/** The CRM simulator's behaviour ({@code errand.crm-simulator.*}, {@code PUT /simulator/crm/config}). */
@Singleton
public class CrmState extends FragileApi {

    public CrmState(CrmSimulatorConfig config) {
        super(config);
    }
}
