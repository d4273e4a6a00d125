package dev.errand.internal.tracing;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.configuration.ConfigBuilder;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Errand brings Quarkus' OpenTelemetry extension, whose SDK is on by default and exports every span
 * to {@code localhost:4317}: a service that never asked for tracing would log a failed export every
 * few seconds. So the SDK stays off ({@code quarkus.otel.sdk.disabled=true}) until the service names
 * an OTLP endpoint; a {@code quarkus.otel.sdk.disabled} the service sets itself always wins (this
 * source has the lowest ordinal of all but the defaults).
 */
public class TracingDefaults implements ConfigBuilder {

    /** Settings that mean "export traces there". */
    static final List<String> EXPORTER_SETTINGS = List.of("quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint");
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    private static final int ORDINAL = 50;

    @Override
    public SmallRyeConfigBuilder configBuilder(SmallRyeConfigBuilder builder) {
        return builder.withSources(new ConfigSourceFactory() {
            @Override
            public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
                return List.of(new PropertiesConfigSource(defaults(context), "Errand tracing defaults", ORDINAL));
            }

            @Override
            public OptionalInt getPriority() {
                return OptionalInt.of(ORDINAL);
            }
        });
    }

    static Map<String, String> defaults(ConfigSourceContext context) {
        for (String setting : EXPORTER_SETTINGS) {
            ConfigValue value = context.getValue(setting);
            // The extension's own default (localhost:4317) sits in a source below this one: only a
            // value that the service set counts.
            if (value != null && value.getValue() != null && !value.getValue().isBlank()
                    && value.getSourceOrdinal() > ORDINAL) {
                return Map.of();
            }
        }
        return Map.of(SDK_DISABLED, "true");
    }
}
