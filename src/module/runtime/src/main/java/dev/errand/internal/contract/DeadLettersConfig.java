package dev.errand.internal.contract;

import dev.errand.WireContract;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where failed messages go. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.dead-letters")
public interface DeadLettersConfig {

    /** Address of the dead-letter queue. */
    @WithDefault(WireContract.DEAD_LETTER_QUEUE)
    String address();
}
