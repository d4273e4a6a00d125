package dev.errand.apps.lemonade;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/** The event {@value LemonadeEvents#ORDER_PLACED}: an order was taken. */
public record OrderPlaced(@Positive long orderId, @NotBlank String customer, @Min(1) @Max(LemonadeEvents.MAX_CUPS) int cups) {
}
