package dev.errand.testing.events;

import jakarta.validation.constraints.NotBlank;

/**
 * An event of the module's event tests.
 *
 * @param id      what the subscribers record
 * @param failFor the subscriber that fails it for good (dead-letters it) until {@link EventLog#heal}; may be null
 */
public record TestEvent(@NotBlank String id, String failFor) {
}
