package dev.errand.apps;

import dev.errand.ErrandLauncher;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts the embedded broker and database when none are configured, then the service. */
@QuarkusMain
public class ErrandMain {

    public static void main(String... args) throws Exception {
        ErrandLauncher.run(args);
    }
}
