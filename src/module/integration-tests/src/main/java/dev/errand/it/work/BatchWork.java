package dev.errand.it.work;

import jakarta.validation.constraints.NotBlank;

/**
 * A message for {@link BatchProbe}: {@code failures} first attempts fail (transiently, or for good when
 * {@code permanent}) after the handler wrote its row and its entity; {@code conflictAtCommit} writes a
 * row that breaks a deferred constraint, so the transaction it runs in cannot commit.
 */
public record BatchWork(@NotBlank String id, int failures, boolean permanent, boolean conflictAtCommit) {
}
