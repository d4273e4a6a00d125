package dev.errand.it.work;

import jakarta.validation.constraints.NotBlank;

/**
 * A unit of test work: {@code failures} first attempts fail with a transient error, each attempt
 * takes {@code millis}, and {@code gate} makes it wait for the test to open {@link WorkLog#gate()}.
 */
public record TestWork(@NotBlank String id, int failures, int millis, boolean gate) {
}
