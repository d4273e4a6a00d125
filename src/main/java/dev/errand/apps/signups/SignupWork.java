package dev.errand.apps.signups;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** The body of every sign-up work item; the AMQP subject says which item it is. */
public record SignupWork(@NotNull @Positive Long accountId) {
}
