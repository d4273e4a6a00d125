package dev.errand.deployment;

import java.util.Set;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.errand.internal.operator.OperatorApi;
import dev.errand.internal.security.OperatorApiRecorder;
import dev.errand.internal.security.OperatorApiWithoutSecurity;
import dev.errand.internal.tracing.TracingDefaults;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.RunTimeConfigBuilderBuildItem;
import io.quarkus.deployment.builditem.StaticInitConfigBuilderBuildItem;
import io.quarkus.resteasy.reactive.spi.ContainerRequestFilterBuildItem;

/**
 * What Errand does to the service that adds it, beyond its own work: nothing open that should be
 * closed, and nothing switched on that the service did not ask for.
 */
class HostDefaultsProcessor {

    /**
     * Without a security extension Quarkus enforces no {@code @RolesAllowed}: the operator endpoints
     * would serve anyone. They refuse every request instead, and the start says so once.
     */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void closeOperatorApiWithoutSecurity(Capabilities capabilities, OperatorApiRecorder recorder,
            BuildProducer<ContainerRequestFilterBuildItem> filters) {
        boolean operatorApi = ConfigProvider.getConfig().getOptionalValue("errand.http.operator-api", Boolean.class)
                .orElse(true);
        if (!operatorApi || capabilities.isPresent(Capability.SECURITY)) {
            return;
        }
        filters.produce(new ContainerRequestFilterBuildItem.Builder(OperatorApiWithoutSecurity.class.getName())
                .setNameBindingNames(Set.of(OperatorApi.class.getName()))
                .build());
        recorder.closedWithoutSecurity();
    }

    /** Tracing export stays off until the service names an exporter ({@link TracingDefaults}). */
    @BuildStep
    void tracingOffUntilConfigured(BuildProducer<StaticInitConfigBuilderBuildItem> staticInit,
            BuildProducer<RunTimeConfigBuilderBuildItem> runTime) {
        staticInit.produce(new StaticInitConfigBuilderBuildItem(TracingDefaults.class));
        runTime.produce(new RunTimeConfigBuilderBuildItem(TracingDefaults.class));
    }
}
