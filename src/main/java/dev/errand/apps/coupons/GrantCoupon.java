package dev.errand.apps.coupons;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/** The body of a grant message (see docs/wire-contract.md). */
public record GrantCoupon(@NotNull @Positive Long campaignId,
        @NotNull @Pattern(regexp = CsvRecipients.USER_ID_PATTERN) String userId,
        @NotNull @Positive Integer amountCents) {
}
