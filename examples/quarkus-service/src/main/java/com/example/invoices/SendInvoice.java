package com.example.invoices;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/** The command on the "invoices" queue, as JSON. Errand validates it before the handler sees it. */
public record SendInvoice(@NotBlank String invoiceId, @NotBlank String customer, @Positive long amountCents) {
}
