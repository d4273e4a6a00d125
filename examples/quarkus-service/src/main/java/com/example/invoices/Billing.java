package com.example.invoices;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

import io.smallrye.faulttolerance.api.CircuitBreakerName;

/**
 * The way to the billing system, behind a named breaker. Errand finds this breaker from the handler's
 * calls and pauses the invoices consumer while it is open, instead of failing message after message.
 */
@ApplicationScoped
public class Billing {

    private final BillingApi api;

    Billing(BillingApi api) {
        this.api = api;
    }

    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 2000)
    @CircuitBreakerName("billing")
    public String send(String idempotencyKey, SendInvoice invoice) {
        return api.send(idempotencyKey, invoice);
    }
}
