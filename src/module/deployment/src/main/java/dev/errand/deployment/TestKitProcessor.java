package dev.errand.deployment;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.runtime.LaunchMode;

/**
 * Makes {@code errand-embedded}'s test kit injectable in a service's {@code @QuarkusTest}: a bean in test
 * mode alone, when that artifact is on the class path. Its jar is no bean archive (it is not an extension),
 * so without this step {@code @Inject ErrandTestKit} would find nothing; and a service running for real
 * gets no bean that can move Errand's clock.
 */
public class TestKitProcessor {

    static final String TEST_KIT = "dev.errand.embedded.ErrandTestKit";

    @BuildStep
    void testKit(LaunchModeBuildItem launchMode, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (launchMode.getLaunchMode() == LaunchMode.TEST && QuarkusClassLoader.isClassPresentAtRuntime(TEST_KIT)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(TEST_KIT));
        }
    }
}
