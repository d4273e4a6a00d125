package dev.errand;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The runs of one workflow function that may still run code, by the version of the code they are on:
 * the {@link Workflow#patched} changes each has recorded. It tells an operator when the old code of a
 * gate can go: once no run started before the deploy that added the gate is left without its patch.
 * <p>
 * The runs counted are those that have not finished ({@code PENDING}, {@code RUNNING}, {@code WAITING})
 * and the failed ones whose dead letter still waits for an operator: a replay of it would resume the run
 * on the code then deployed.
 *
 * @param function the workflow's name
 * @param runs     how many such runs there are
 * @param versions the runs by the patches they recorded, the runs with none first
 */
public record WorkflowVersions(String function, long runs, List<Version> versions) {

    /** How many of its ids a {@link Version} names, the oldest runs first. */
    public static final int IDS = 10;

    /**
     * The runs that recorded exactly these patches.
     * <p>
     * A run that recorded none is either on the old code of every gate (it went past the gates under the
     * old code) or has not reached a gate yet (it will take the new code there): its start time tells
     * which it can be, against the time of the deploy.
     *
     * @param patches         the changes recorded, by name; empty for the runs that recorded none
     * @param runs            how many runs
     * @param states          how many of them are in each state
     * @param oldestCreatedAt when the oldest of them was started
     * @param newestCreatedAt when the newest of them was started
     * @param oldestIds       the ids of the oldest of them, at most {@link #IDS}
     */
    public record Version(List<String> patches, long runs, Map<CallStatus.State, Long> states,
            Instant oldestCreatedAt, Instant newestCreatedAt, List<String> oldestIds) {
    }
}
