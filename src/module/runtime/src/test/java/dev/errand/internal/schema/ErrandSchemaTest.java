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
            List<String> inFolder = scripts.map(path -> path.getFileName().toString()).sorted().toList();
            // By name: Flyway orders them by version itself, and "V11" sorts before "V2" as text.
            assertEquals(inFolder, ErrandSchema.MIGRATIONS.stream().sorted().toList());
        }
    }
}
