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
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * docs/reference/configuration.md names every setting of {@link ErrandConfig}: the reference is
 * written by hand, so this keeps it from falling behind the mapping. A setting counts as named when
 * the page has its whole name, or its group's prefix and its own name in backticks (the tables
 * write {@code errand.retry.initial-delay} / {@code max-delay}).
 */
class ConfigurationDocsTest {

    private static final Path PAGE = Path.of("../../../docs/reference/configuration.md");

    @Test
    void everySettingOfTheMappingIsInTheConfigurationReference() throws IOException {
        String page = Files.readString(PAGE);
        List<String> missing = new ArrayList<>();
        for (String setting : settings("errand", ErrandConfig.class)) {
            int leaf = setting.lastIndexOf('.');
            boolean named = page.contains(setting)
                    || (page.contains(setting.substring(0, leaf + 1)) && page.contains("`" + setting.substring(leaf + 1) + "`"));
            if (!named) {
                missing.add(setting);
            }
        }
        assertEquals(List.of(), missing, "settings missing from " + PAGE);
    }

    /** Every setting under {@code prefix}, maps keyed by a placeholder; per-consumer overrides left to their defaults' rows. */
    private static List<String> settings(String prefix, Class<?> group) {
        List<String> names = new ArrayList<>();
        for (Method method : group.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            Type type = method.getGenericReturnType();
            Class<?> raw = method.getReturnType();
            if (raw == Map.class) {
                Class<?> value = (Class<?>) ((ParameterizedType) type).getActualTypeArguments()[1];
                if (value != ErrandConfig.Consumer.class) {
                    names.addAll(settings(name + ".\"<" + (value == ErrandConfig.Backpressure.class ? "address" : "key")
                            + ">\"", value));
                }
            } else if (raw.isInterface() && raw.getDeclaringClass() == ErrandConfig.class) {
                names.addAll(settings(name, raw));
            } else if (raw != Optional.class || !(((ParameterizedType) type).getActualTypeArguments()[0] instanceof Class<?> inner
                    && inner.isInterface() && inner.getDeclaringClass() == ErrandConfig.class)) {
                names.add(name);
            }
        }
        return names;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
