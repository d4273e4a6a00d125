package dev.errand.apps.simulator;

import jakarta.inject.Singleton;

/** The promotions API simulator's behaviour ({@code errand.simulator.*}, {@code PUT /simulator/promo/config}). */
@Singleton
public class SimulatorState extends FragileApi {

    public SimulatorState(SimulatorConfig config) {
        super(config);
    }
}
