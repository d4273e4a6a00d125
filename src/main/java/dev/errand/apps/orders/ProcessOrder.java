package dev.errand.apps.orders;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** The body of an order's work message. */
public record ProcessOrder(@NotNull @Positive Long orderId) {
}
