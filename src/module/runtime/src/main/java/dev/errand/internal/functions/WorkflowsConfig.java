package dev.errand.internal.functions;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Durable functions and workflows: {@code errand.workflows.*}. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.workflows")
public interface WorkflowsConfig {

    /**
     * How often a workflow waiting for its children looks again: a safety net, since the child whose end
     * completes the wait wakes the workflow at once ({@code fan-in-wake-up}). It waits on the broker
     * meanwhile (a timer message), holding no thread.
     */
    @WithDefault("30s")
    Duration pollInterval();

    /**
     * Whether the child whose end completes its parent's wait wakes the parent at once, in the transaction
     * that records the end. Off, a waiting parent only looks again every {@code poll-interval}.
     */
    @WithDefault("true")
    boolean fanInWakeUp();

    /** The children a workflow records in one transaction when it fans out. */
    @WithDefault("500")
    int childBatch();
}
