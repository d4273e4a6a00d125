package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A dashboard path that cannot be served fails the build, naming the setting, not the first request. */
class DashboardPathChecksTest {

    @RegisterExtension
    static final QuarkusUnitTest BUILD = new QuarkusUnitTest()
            .setArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class))
            .overrideConfigKey("quarkus.devservices.enabled", "false")
            .overrideConfigKey("errand.dashboard.path", "errand/ui")
            .assertException(failure -> {
                String message = HandlerBuildChecksTest.allMessages(failure);
                assertTrue(message.contains("errand.dashboard.path is a path from the root, starting with /; was errand/ui"),
                        message);
            });

    @Test
    void aPathNotFromTheRootFailsTheBuild() {
        fail("the build should have failed");
    }
}
