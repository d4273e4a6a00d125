package dev.errand.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import io.smallrye.config.WithUnnamedKey;

/**
 * docs/reference/configuration.md names every setting of Errand's config roots, and gives each the
 * default its root declares ({@code @WithDefault}, the one place a default is written): the reference is
 * written by hand, so this keeps it from falling behind them. The roots are those the extension's
 * annotation processor lists ({@code META-INF/quarkus-config-roots.list}), so a new root is checked too.
 * <p>
 * A setting counts as named when the page has its whole name, or its group's prefix and its own name in
 * backticks (the tables write {@code errand.consumers.initial-delay} / {@code max-delay}). A table row's
 * default is its second cell, split as its first cell is (by {@code " / "} or {@code ", "}): a part
 * that starts with a value in backticks gives that value as the default; any other part (a dash, or
 * words such as "from {@code @Subscribe}") says there is none.
 */
class ConfigurationDocsTest {

    private static final Path PAGE = Path.of("../../../docs/reference/configuration.md");
    private static final String PLACEHOLDER = "\"<address>\"";

    @Test
    void everySettingOfTheRootsIsInTheConfigurationReference() throws IOException {
        String page = page();
        Map<String, Optional<String>> settings = settings();
        List<String> missing = new ArrayList<>();
        for (String setting : settings.keySet()) {
            // One consumer's settings are every consumer's under its channel: named when those are, and
            // the page gives the channel's form.
            String shared = setting.replace("." + PLACEHOLDER, "");
            boolean named = named(page, setting) || (settings.containsKey(shared) && named(page, shared)
                    && page.contains(setting.substring(0, setting.indexOf(PLACEHOLDER) + PLACEHOLDER.length())));
            if (!named) {
                missing.add(setting);
            }
        }
        assertEquals(List.of(), missing, "settings missing from " + PAGE);
    }

    private static boolean named(String page, String setting) {
        int leaf = setting.lastIndexOf('.');
        return page.contains(setting)
                || (page.contains(setting.substring(0, leaf + 1)) && page.contains("`" + setting.substring(leaf + 1) + "`"));
    }

    @Test
    void theConfigurationReferenceGivesEachSettingTheDefaultOfItsRoot() throws IOException {
        assertEquals(List.of(), wrongDefaults(page(), settings()), "defaults in " + PAGE + " that differ from the roots'");
    }

    @Test
    void aDefaultTheReferenceGetsWrongIsFound() throws IOException {
        String wrong = page().replace("| `errand.shutdown.grace-period` | `20s` |", "| `errand.shutdown.grace-period` | `30s` |");

        assertEquals(List.of("errand.shutdown.grace-period: the page says `30s`, the root `20s`"),
                wrongDefaults(wrong, settings()));
    }

    @Test
    void aDefaultTheReferenceGivesToASettingWithoutOneIsFound() throws IOException {
        String wrong = page().replace("| `errand.consumers.rate-limit` | – |", "| `errand.consumers.rate-limit` | `100` |");

        assertEquals(List.of("errand.consumers.rate-limit: the page says `100`, the root has no default"),
                wrongDefaults(wrong, settings()));
    }

    /** What the page says of each setting's default that its root does not. */
    private static List<String> wrongDefaults(String page, Map<String, Optional<String>> settings) {
        Map<String, Optional<String>> documented = documentedDefaults(page);
        List<String> wrong = new ArrayList<>();
        settings.forEach((setting, declared) -> {
            if (setting.contains(PLACEHOLDER) && declared.isEmpty()) {
                // One consumer's settings and other map entries without a default: their rows say how
                // they fall back (to every consumer's), not a value.
                return;
            }
            if (!documented.containsKey(setting)) {
                wrong.add(setting + ": no row of the page gives its default");
                return;
            }
            Optional<String> written = documented.get(setting);
            if (!written.equals(declared)) {
                wrong.add(setting + ": the page says " + written.map(v -> "`" + v + "`").orElse("none") + ", the root "
                        + declared.map(v -> "`" + v + "`").orElse("has no default"));
            }
        });
        return wrong;
    }

    private static final Pattern ROW = Pattern.compile("(?m)^\\| (.+?) \\| (.+?) \\| .*\\|$");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** Each setting a table row names, with the default the row gives it (empty: none). */
    private static Map<String, Optional<String>> documentedDefaults(String page) {
        Map<String, Optional<String>> defaults = new LinkedHashMap<>();
        Matcher row = ROW.matcher(page);
        while (row.find()) {
            String names = row.group(1);
            String values = row.group(2);
            String separator = names.contains("` / `") ? " / " : names.contains("`, `") ? ", " : null;
            List<String> nameParts = separator == null ? List.of(names) : List.of(names.split(Pattern.quote(separator)));
            List<String> valueParts = separator == null ? List.of(values) : List.of(values.split(Pattern.quote(separator)));
            String first = null;
            for (int i = 0; i < nameParts.size(); i++) {
                Matcher code = CODE.matcher(nameParts.get(i).trim());
                if (!code.lookingAt()) {
                    continue;
                }
                String name = code.group(1);
                if (first == null) {
                    first = name;
                } else if (!name.contains(".")) {
                    // "`errand.consumers.initial-delay` / `max-delay`": the leaf of the first one's group.
                    name = first.substring(0, first.lastIndexOf('.') + 1) + name;
                }
                String value = i < valueParts.size() ? valueParts.get(i).trim() : "";
                Matcher literal = CODE.matcher(value);
                defaults.put(name, literal.lookingAt() ? Optional.of(literal.group(1)) : Optional.empty());
            }
        }
        return defaults;
    }

    private static String page() throws IOException {
        // A map's key is written under the placeholder that fits it ("<name>", "<address>", ...).
        return Files.readString(PAGE).replaceAll("\"<[a-z-]+>\"", PLACEHOLDER);
    }

    /** Every setting of every config root, with its {@code @WithDefault} if it has one. */
    private static Map<String, Optional<String>> settings() throws IOException {
        Map<String, Optional<String>> settings = new LinkedHashMap<>();
        for (Class<?> root : roots()) {
            settings(root.getAnnotation(ConfigMapping.class).prefix(), root, settings);
        }
        return settings;
    }

    /** The roots the extension's annotation processor found. */
    private static List<Class<?>> roots() throws IOException {
        List<Class<?>> roots = new ArrayList<>();
        try (InputStream list = ConfigurationDocsTest.class.getResourceAsStream("/META-INF/quarkus-config-roots.list")) {
            for (String line : new String(list.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    try {
                        roots.add(Class.forName(line.trim()));
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        assertFalse(roots.isEmpty(), "no config roots listed");
        return roots;
    }

    /**
     * Every setting under {@code prefix}: a map's entries under a placeholder key, unless they are the
     * map's unnamed key.
     */
    private static void settings(String prefix, Class<?> group, Map<String, Optional<String>> settings) {
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
                settings(method.isAnnotationPresent(WithUnnamedKey.class) ? name : name + "." + PLACEHOLDER, value, settings);
            } else if (raw.isInterface() && raw.getName().startsWith("dev.errand")) {
                settings(name, raw, settings);
            } else {
                WithDefault declared = method.getAnnotation(WithDefault.class);
                settings.put(name, Optional.ofNullable(declared).map(WithDefault::value));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
