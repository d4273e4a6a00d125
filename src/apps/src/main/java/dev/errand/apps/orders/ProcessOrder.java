package dev.errand.apps.orders;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of an order's work message. */
// Read and written by Jackson from a type known only at run time: a native image must keep it.
@RegisterForReflection
public record ProcessOrder(@NotNull @Positive Long orderId) {
}
