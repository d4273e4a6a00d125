package dev.errand.internal.embedded;

import java.util.Map;

import io.smallrye.config.ConfigSourceContext;

/**
 * Starts the embedded servers. Implemented in {@code dev.errand.embedded} and found through
 * {@code META-INF/services}, so that a build without them (a native worker) leaves them out and then
 * needs an external broker and database.
 */
public interface EmbeddedStarter {

    /**
     * Starts what is asked for and returns the settings that point the service at it.
     *
     * @param settings the service's configuration as far as it is known before Quarkus starts
     * @param forTests a fresh folder and free ports, removed when the JVM exits, instead of {@code errand.data-dir}
     */
    Map<String, String> start(ConfigSourceContext settings, boolean needBroker, boolean needDatabase, boolean forTests)
            throws Exception;
}
