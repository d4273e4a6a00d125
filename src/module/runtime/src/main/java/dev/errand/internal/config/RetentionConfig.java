package dev.errand.internal.config;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long Errand keeps what it records, per kind: {@code errand.retention.*}. Rows older than their
 * window are removed in the background, in small batches, by one replica at a time
 * (docs/operations/running.md, "History and retention").
 */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.retention")
public interface RetentionConfig {

    /** Whether this replica takes part in removing old rows; the metrics of the tables stay either way. */
    @WithDefault("true")
    boolean enabled();

    /** How often a replica looks for rows past their window. */
    @WithDefault("1m")
    Duration interval();

    /**
     * The share of time the sweep may work, between 0 and 1: after a batch that took t it rests
     * {@code t x (1 - pace) / pace}, so that a large backlog (the first passes after an upgrade) leaves
     * the database to the handlers most of the time. 1 sweeps flat out.
     */
    @WithDefault("0.25")
    double pace();

    /** Rows removed per transaction: small enough that no statement holds much at once. */
    @WithDefault("5000")
    int batchSize();

    /**
     * Processed-message markers. A marker is what makes a second copy of a message a duplicate, so it
     * must outlive the longest time a copy can still arrive: the start-up refuses a window shorter
     * than any consumer's {@code max-redelivery-delay}. A message made longer ago than this window is
     * dead-lettered ({@code past-marker-retention}) instead of run, since whether it ran can no
     * longer be told.
     */
    @WithDefault("3d")
    Duration processedMessages();

    /** The recorded steps of tasks ({@code Task.step}), counted from when each step was done. */
    @WithDefault("3d")
    Duration taskSteps();

    /**
     * Finished durable calls (succeeded or failed) with their steps, counted from when they finished.
     * A call whose parent still runs, or that has children still running, is kept.
     */
    @WithDefault("7d")
    Duration finishedCalls();

    /** Dead letters once replayed or discarded, counted from then; those still waiting are kept. */
    @WithDefault("30d")
    Duration deadLetters();

    /** HTTP idempotency keys, counted from when each expired ({@code @Idempotent(ttl)}). */
    @WithDefault("0s")
    Duration idempotencyKeys();
}
