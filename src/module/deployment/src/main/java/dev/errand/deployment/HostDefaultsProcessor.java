package dev.errand.deployment;

import java.util.Map;
import java.util.Set;

import dev.errand.internal.embedded.EmbeddedServersSource;
import dev.errand.internal.operator.OperatorApi;
import dev.errand.internal.web.HttpBuildTimeConfig;
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
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.StaticInitConfigBuilderBuildItem;
import io.quarkus.resteasy.reactive.spi.ContainerRequestFilterBuildItem;

/**
 * What Errand does to the service that adds it, beyond its own work: nothing open that should be
 * closed, nothing switched on that the service did not ask for, and defaults for the service's own
 * settings that Errand's work depends on, each of which the service's own value overrides
 * (docs/reference/configuration.md lists them).
 */
class HostDefaultsProcessor {

    /**
     * The service's run-time settings that Errand gives a default. A build item's default sits below
     * every source the service has (application.properties, system properties, the environment), so a
     * value the service sets always wins. Two of the service's settings that Errand needs are read when
     * the service is built, where no build item can give a default: {@code quarkus.datasource.db-kind}
     * and {@code quarkus.shutdown.delay-enabled} stay in the runtime jar's
     * {@code META-INF/microprofile-config.properties}, below application.properties too.
     */
    static final Map<String, String> HOST_DEFAULTS = Map.ofEntries(
            // A database that hangs (stopped, wedged, a network path that drops packets) must not hang
            // the service: every wait on it is bounded, so that readiness says DOWN within seconds and a
            // request answers 503 with Retry-After (docs/reference/configuration.md, "Database timeouts").
            // A connection from the pool within 5 s, or an error.
            Map.entry("quarkus.datasource.jdbc.acquisition-timeout", "5s"),
            // The pool's validation (readiness, idle connections before use) waits at most 2 s for an answer.
            Map.entry("quarkus.datasource.jdbc.validation-query-timeout", "2s"),
            // A connection idle for 2 s is validated before it is handed out: after a database restart, or
            // while it hangs, the pool finds out before a request does; connections in steady use pay nothing.
            Map.entry("quarkus.datasource.jdbc.foreground-validation-interval", "2s"),
            // pgjdbc: a new connection (TCP connect, then the login) within 3 s each. Under the acquisition
            // timeout, so that a login that hangs fails by itself (08001) before the pool gives up on it and
            // interrupts the attempt.
            Map.entry("quarkus.datasource.jdbc.additional-jdbc-properties.connectTimeout", "3"),
            Map.entry("quarkus.datasource.jdbc.additional-jdbc-properties.loginTimeout", "3"),
            // The server ends any statement after 60 s (Quarkus' default transaction timeout: a longer
            // statement in a default transaction could not commit anyway). No statement of Errand's comes
            // near it: its largest are batches (500 outbox rows, 32 grouped messages).
            Map.entry("quarkus.datasource.jdbc.additional-jdbc-properties.options", "-c statement_timeout=60s"),
            // pgjdbc gives up on a server silent for 75 s. Longer than the statement timeout, so that a live
            // server always answers first with its own error, and only a hung one is cut off here.
            Map.entry("quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout", "75"),
            // A replica that starts while the database gives no connection (down, or out of connection
            // slots while other replicas hold them) waits at the migrations, trying again after 1, 2, 4,
            // then every 10 s, for about 10 minutes, instead of dying at once. Errand's own migration
            // takes the same settings.
            Map.entry("quarkus.flyway.connect-retries", "60"),
            Map.entry("quarkus.flyway.connect-retries-interval", "10s"),
            // Connections idle for a minute are closed, so that a replica gives back what a burst made
            // it open, and other replicas (or one starting again) find free slots.
            Map.entry("quarkus.datasource.jdbc.idle-removal-interval", "1M"),
            // The AMQP connector keeps reconnecting through a broker outage (every channel of the service).
            Map.entry("mp.messaging.connector.smallrye-amqp.reconnect-attempts", "1000"),
            Map.entry("mp.messaging.connector.smallrye-amqp.reconnect-interval", "1"));

    @BuildStep
    void hostSettingDefaults(BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        HOST_DEFAULTS.forEach((name, value) -> defaults.produce(new RunTimeConfigurationDefaultBuildItem(name, value)));
    }

    /**
     * Without a security extension Quarkus enforces no {@code @RolesAllowed}: the operator endpoints
     * would serve anyone. They refuse every request instead, and the start says so once.
     */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void closeOperatorApiWithoutSecurity(HttpBuildTimeConfig http, Capabilities capabilities,
            OperatorApiRecorder recorder, BuildProducer<ContainerRequestFilterBuildItem> filters) {
        if (!http.operatorApi() || capabilities.isPresent(Capability.SECURITY)) {
            return;
        }
        filters.produce(new ContainerRequestFilterBuildItem.Builder(OperatorApiWithoutSecurity.class.getName())
                .setNameBindingNames(Set.of(OperatorApi.class.getName()))
                .build());
        recorder.closedWithoutSecurity();
    }

    /**
     * Zero configuration: with {@code errand-embedded} present and no broker or datasource configured, the
     * embedded servers start while the run-time configuration is built, in every launch mode
     * ({@link EmbeddedServersSource}). Explicit settings win.
     */
    @BuildStep
    void embeddedServersWhenUnconfigured(BuildProducer<RunTimeConfigBuilderBuildItem> runTime) {
        runTime.produce(new RunTimeConfigBuilderBuildItem(EmbeddedServersSource.class));
    }

    /** Tracing export stays off until the service names an exporter ({@link TracingDefaults}). */
    @BuildStep
    void tracingOffUntilConfigured(BuildProducer<StaticInitConfigBuilderBuildItem> staticInit,
            BuildProducer<RunTimeConfigBuilderBuildItem> runTime) {
        staticInit.produce(new StaticInitConfigBuilderBuildItem(TracingDefaults.class));
        runTime.produce(new RunTimeConfigBuilderBuildItem(TracingDefaults.class));
    }
}
