package dev.errand.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.errand.internal.backpressure.BackpressureConfig;
import dev.errand.internal.broker.BrokerConfig;
import dev.errand.internal.contract.DeadLettersConfig;
import dev.errand.internal.contract.EventsConfig;
import dev.errand.internal.functions.WorkflowsConfig;
import dev.errand.internal.handling.ConsumersConfig;
import dev.errand.internal.handling.HealthConfig;
import dev.errand.internal.handling.ShutdownConfig;
import dev.errand.internal.outbox.OutboxConfig;
import dev.errand.internal.web.HttpConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import io.smallrye.config.WithUnnamedKey;

/**
 * docs/reference/configuration.md names every setting of Errand's mappings: the reference is written
 * by hand, so this keeps it from falling behind them. A setting counts as named when
 * the page has its whole name, or its group's prefix and its own name in backticks (the tables
 * write {@code errand.consumers.initial-delay} / {@code max-delay}).
 */
class ConfigurationDocsTest {

    private static final List<Class<?>> MAPPINGS = List.of(EmbeddedConfig.class, ConsumersConfig.class,
            ShutdownConfig.class, HealthConfig.class, DeadLettersConfig.class, BackpressureConfig.class,
            OutboxConfig.class, HttpConfig.class, BrokerConfig.class, EventsConfig.class, WorkflowsConfig.class);

    private static final Path PAGE = Path.of("../../../docs/reference/configuration.md");

    @Test
    void everySettingOfTheMappingIsInTheConfigurationReference() throws IOException {
        // A map's key is written under the placeholder that fits it ("<name>", "<address>", ...).
        String page = Files.readString(PAGE).replaceAll("\"<[a-z-]+>\"", "\"<address>\"");
        List<String> missing = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        for (Class<?> mapping : MAPPINGS) {
            settings.addAll(settings(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping));
        }
        for (String setting : settings) {
            int leaf = setting.lastIndexOf('.');
            boolean named = page.contains(setting)
                    || (page.contains(setting.substring(0, leaf + 1)) && page.contains("`" + setting.substring(leaf + 1) + "`"));
            if (!named) {
                missing.add(setting);
            }
        }
        assertEquals(List.of(), missing, "settings missing from " + PAGE);
    }

    /**
     * Every setting under {@code prefix}: a map's entries under a placeholder key; the consumers' map
     * (one shape for every consumer and for each) as {@code errand.consumers.<setting>}.
     */
    private static List<String> settings(String prefix, Class<?> group) {
        List<String> names = new ArrayList<>();
        for (Method method : group.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            boolean parent = method.isAnnotationPresent(WithParentName.class);
            String name = parent ? prefix : prefix + "." + kebab(method.getName());
            Type type = method.getGenericReturnType();
            Class<?> raw = method.getReturnType();
            if (raw == Map.class) {
                Class<?> value = (Class<?>) ((ParameterizedType) type).getActualTypeArguments()[1];
                names.addAll(settings(method.isAnnotationPresent(WithUnnamedKey.class) ? name : name + ".\"<address>\"",
                        value));
            } else if (raw.isInterface() && raw.getName().startsWith("dev.errand")) {
                names.addAll(settings(name, raw));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
