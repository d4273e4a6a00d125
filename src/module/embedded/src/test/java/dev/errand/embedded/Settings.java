package dev.errand.embedded;

import java.util.Iterator;
import java.util.Map;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

/** The service's settings as the launcher reads them while Quarkus builds its configuration. */
final class Settings {

    private Settings() {
    }

    static ConfigSourceContext of(Map<String, String> properties) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                String value = properties.get(name);
                return value == null ? null : ConfigValue.builder().withName(name).withValue(value).build();
            }

            @Override
            public Iterator<String> iterateNames() {
                return properties.keySet().iterator();
            }
        };
    }
}
