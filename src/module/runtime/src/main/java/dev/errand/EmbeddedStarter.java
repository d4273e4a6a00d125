package dev.errand;

import org.eclipse.microprofile.config.Config;

/**
 * Starts embedded servers, then Quarkus. Implemented in {@code dev.errand.embedded} and found
 * through {@code META-INF/services}, so that a build without the embedded servers (the native
 * worker) still has a launcher, which then asks for an external broker and database.
 */
public interface EmbeddedStarter {

    void startThenRun(Config config, boolean needBroker, boolean needDatabase, String... args) throws Exception;
}
