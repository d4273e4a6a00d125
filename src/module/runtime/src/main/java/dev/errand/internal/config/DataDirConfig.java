package dev.errand.internal.config;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * {@code errand.data-dir}, a root of its own so that no root claims the whole {@code errand} prefix
 * ({@link EmbeddedConfig}). Read by the embedded servers' launcher before Quarkus starts.
 */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.data-dir")
public interface DataDirConfig {

    String DEFAULT_DATA_DIR = "errand-data";

    /** Folder of the embedded broker journal and database files. */
    @WithParentName
    @WithDefault(DEFAULT_DATA_DIR)
    String dataDir();
}
