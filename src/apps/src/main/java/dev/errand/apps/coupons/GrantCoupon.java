package dev.errand.apps.coupons;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of a grant message (see docs/reference/wire-contract.md). */
// Read and written by Jackson from a type known only at run time: a native image must keep it.
@RegisterForReflection
public record GrantCoupon(@NotNull @Positive Long campaignId,
        @NotNull @Pattern(regexp = CsvRecipients.USER_ID_PATTERN) String userId,
        @NotNull @Positive Integer amountCents) {
}
