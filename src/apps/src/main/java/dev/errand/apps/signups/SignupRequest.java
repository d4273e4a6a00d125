package dev.errand.apps.signups;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /signups}. */
public record SignupRequest(@NotBlank @Email @Size(max = 254) String email, @NotBlank @Size(max = 200) String name) {
}
