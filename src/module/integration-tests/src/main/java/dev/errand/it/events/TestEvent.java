package dev.errand.it.events;

import jakarta.validation.constraints.NotBlank;

/**
 * An event of the module's event tests.
 *
 * @param id      what the subscribers record
 * @param failFor           the subscriber that fails it; may be null
 * @param transientFailures how many times that subscriber fails it before it succeeds; 0: for good (it is
 *                          dead-lettered) until {@link EventLog#heal}
 */
public record TestEvent(@NotBlank String id, String failFor, int transientFailures) {

    public TestEvent(String id, String failFor) {
        this(id, failFor, 0);
    }
}
