package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The dashboard page shows the operator API's data: asking for one without the other fails the build. */
class DashboardWithoutOperatorApiTest {

    @RegisterExtension
    static final QuarkusUnitTest BUILD = new QuarkusUnitTest()
            .setArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class))
            .overrideConfigKey("quarkus.devservices.enabled", "false")
            .overrideConfigKey("errand.dashboard.path", "/errand/ui")
            .overrideConfigKey("errand.http.operator-api", "false")
            .assertException(failure -> {
                String message = HandlerBuildChecksTest.allMessages(failure);
                assertTrue(message.contains("it needs errand.http.operator-api=true"), message);
            });

    @Test
    void theBuildFailsNamingTheSettingItNeeds() {
        fail("the build should have failed");
    }
}
