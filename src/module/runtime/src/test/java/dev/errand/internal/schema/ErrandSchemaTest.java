package dev.errand.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The migrations Errand runs are the ones in its folder: a new script cannot be forgotten in the list. */
class ErrandSchemaTest {

    @Test
    void theListOfMigrationsIsEveryScriptInDbErrand() throws IOException {
        try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/errand"))) {
            List<String> inFolder = scripts.map(path -> path.getFileName().toString())
                    // In version order, as Flyway runs them (V10 after V9).
                    .sorted(java.util.Comparator.comparingInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))))
                    .toList();
            assertEquals(inFolder, ErrandSchema.MIGRATIONS);
        }
    }
}
