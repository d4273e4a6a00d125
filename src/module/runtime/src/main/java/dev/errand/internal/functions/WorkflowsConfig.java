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
     * How often a workflow waiting for its children looks again. It waits on the broker meanwhile (a
     * scheduled redelivery of its call), holding no thread.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** The children a workflow records in one transaction when it fans out. */
    @WithDefault("500")
    int childBatch();
}
