package dev.errand.testing;

import org.junit.jupiter.api.Assumptions;

/** Tests that need a tool from Debian (Chromium, Python's Qpid Proton), installed by .ci/ scripts. */
public final class Tools {

    private Tools() {
    }

    /**
     * Skips the test on a developer's machine without the tool, but fails it in CI ({@code CI} set),
     * where {@code .ci/run} installs it: a missing install step must not turn into a silent skip.
     */
    public static void require(boolean installed, String howToInstall) {
        if (!installed && System.getenv("CI") == null) {
            Assumptions.abort("Not installed here; " + howToInstall);
        }
    }
}
