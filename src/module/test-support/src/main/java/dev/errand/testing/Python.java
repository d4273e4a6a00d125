package dev.errand.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's Python with its Qpid Proton ({@code .ci/install-python-proton}): a sender that
 * shares no code with Errand. Skipped on a developer's machine without it; fails in CI.
 */
public final class Python {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private Python() {
    }

    /** Runs a script with arguments and returns what it printed; fails unless it exits with 0. */
    public static String run(Path script, String... arguments) throws IOException, InterruptedException {
        Tools.require(hasProton(), "run .ci/install-python-proton for the interop test");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("errand-python-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " did not finish in 2 minutes");
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(script + " exited with " + process.exitValue() + ":\n" + printed);
        }
        return printed;
    }

    private static boolean hasProton() {
        try {
            return Files.isExecutable(PYTHON)
                    && new ProcessBuilder(PYTHON.toString(), "-c", "import proton").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
