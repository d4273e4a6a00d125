package dev.errand.apps.signups;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of every sign-up work item; the AMQP subject says which item it is. */
// Read and written by Jackson from a type known only at run time: a native image must keep it.
@RegisterForReflection
public record SignupWork(@NotNull @Positive Long accountId) {
}
