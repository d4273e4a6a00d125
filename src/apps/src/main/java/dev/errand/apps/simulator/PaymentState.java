package dev.errand.apps.simulator;

import jakarta.inject.Singleton;

/** The payment provider simulator's failure settings ({@code PUT /simulator/payments/config}). */
@Singleton
public class PaymentState extends FragileApi {

    public PaymentState(PaymentSimulatorConfig config) {
        super(config);
    }
}
