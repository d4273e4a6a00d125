package dev.errand.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root, for tests that run its scripts and examples, wherever Maven runs them from. */
public final class Repository {

    private Repository() {
    }

    /** A path under the repository's root: the nearest folder above this one that holds {@code mvnw} and {@code src/module}. */
    public static Path path(String relative) {
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            if (Files.exists(folder.resolve("mvnw")) && Files.isDirectory(folder.resolve("src/module"))) {
                return folder.resolve(relative);
            }
        }
        throw new IllegalStateException("Not inside the Errand repository: " + Path.of("").toAbsolutePath());
    }
}
