package dev.errand.internal.contract;

import dev.errand.WireContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where failed messages go. */
@ConfigMapping(prefix = "errand.dead-letters")
public interface DeadLettersConfig {

    /** Address of the dead-letter queue. */
    @WithDefault(WireContract.DEAD_LETTER_QUEUE)
    String address();
}
