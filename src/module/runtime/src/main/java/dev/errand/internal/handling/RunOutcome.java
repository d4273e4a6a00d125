package dev.errand.internal.handling;

import java.time.Duration;
import java.util.Objects;

/**
 * How a run that did not fail ended: done, or to come back after a while (a workflow's durable sleep,
 * or its wait for its children). A run that comes back commits what it recorded, counts no attempt
 * and keeps no processed-message marker; its message returns after {@code comeBackAfter} from the
 * broker's scheduled delivery (or its ordering key's place), so no thread waits and a restart loses
 * nothing.
 *
 * @param comeBackAfter null when the run is done
 */
public record RunOutcome(Duration comeBackAfter) {

    public static final RunOutcome DONE = new RunOutcome(null);

    public static RunOutcome comeBackAfter(Duration after) {
        return new RunOutcome(Objects.requireNonNull(after, "after"));
    }

    public boolean done() {
        return comeBackAfter == null;
    }
}
