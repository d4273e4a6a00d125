package dev.errand.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.errand.testing.Repository;

/** The reusable module never depends on an application: applications use the module, not the reverse. */
class ModuleBoundaryTest {

    @Test
    void noModuleSourceMentionsAnApplicationPackage() throws IOException {
        // The module's artifacts (runtime, deployment, embedded).
        Path module = Repository.path("src/module");
        try (Stream<Path> sources = Files.walk(module)) {
            List<Path> offending = sources.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> read(path).contains("dev.errand.apps"))
                    .toList();
            assertEquals(List.of(), offending);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
