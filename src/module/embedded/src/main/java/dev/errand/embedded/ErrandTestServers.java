package dev.errand.embedded;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Artemis and a real PostgreSQL for a service's {@code @QuarkusTest}s, on free ports, in a
 * fresh folder (an old journal would replay its messages into the run), kept until the JVM exits so
 * that every test class shares them:
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = ErrandTestServers.class, scope = TestResourceScope.GLOBAL)
 * class InvoiceWorkerTest { ... }
 * }</pre>
 * Queues are created by the broker as the service's consumers attach.
 */
public class ErrandTestServers implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            return EmbeddedLauncher.startForTests(Files.createTempDirectory("errand-test-"), List.of());
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded broker and database", e);
        }
    }

    @Override
    public void stop() {
        // The servers stop with the JVM: other test classes may still be using them.
    }
}
