package dev.errand.apps.bench;

import jakarta.validation.constraints.PositiveOrZero;

/** The body of a benchmark message: its number in the fill. */
public record BenchItem(@PositiveOrZero long n) {
}
