package dev.errand.apps.orders;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** {@code POST /orders}. */
public record OrderRequest(@NotBlank @Email @Size(max = 254) String customerEmail,
        @NotEmpty @Size(max = 100) List<@Valid @NotNull Line> lines, boolean urgent) {

    public record Line(@NotBlank @Size(max = 64) String sku, @Positive @Max(1000) int quantity) {
    }
}
