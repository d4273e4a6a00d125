package dev.errand.internal.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

class EmbeddedServersSourceTest {

    @BeforeEach
    @AfterEach
    void nothingStartedYet() {
        RecordingStarter.STARTS.clear();
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith(EmbeddedServersSource.STARTED_PREFIX))
                .forEach(System::clearProperty);
    }

    @Test
    void withNothingConfiguredBothServersStartAndTheServiceIsPointedAtThem() {
        Map<String, String> settings = EmbeddedServersSource.settings(context(Map.of()));

        assertEquals(List.of(new RecordingStarter.Start(true, true)), RecordingStarter.STARTS);
        assertEquals("40001", settings.get("amqp-port"));
        assertEquals("jdbc:postgresql://127.0.0.1:40002/postgres", settings.get("quarkus.datasource.jdbc.url"));
    }

    @Test
    void aConfiguredBrokerIsUsedAndOnlyTheDatabaseStarts() {
        Map<String, String> settings = EmbeddedServersSource.settings(context(Map.of("amqp-host", "broker.internal",
                "amqp-username", "svc")));

        assertEquals(List.of(new RecordingStarter.Start(false, true)), RecordingStarter.STARTS);
        assertTrue(settings.keySet().stream().noneMatch(name -> name.startsWith("amqp-") || name.startsWith("errand.")),
                settings.toString());
        assertTrue(settings.containsKey("quarkus.datasource.jdbc.url"));
    }

    @Test
    void bothConfiguredStartsNothing() {
        assertEquals(Map.of(), EmbeddedServersSource.settings(context(Map.of("amqp-host", "broker.internal",
                "amqp-username", "svc", "quarkus.datasource.jdbc.url", "jdbc:postgresql://db/x"))));
        assertEquals(List.of(), RecordingStarter.STARTS);
    }

    @Test
    void aReloadFindsTheServersRunningAndAServerConfiguredSinceWins() {
        EmbeddedServersSource.settings(context(Map.of()));
        Map<String, String> reloaded = EmbeddedServersSource.settings(context(Map.of("amqp-host", "broker.internal",
                "amqp-username", "svc")));

        assertEquals(1, RecordingStarter.STARTS.size(), "started once");
        assertFalse(reloaded.containsKey("amqp-host"));
        assertFalse(reloaded.containsKey("errand.broker.sender-role"));
        assertEquals("jdbc:postgresql://127.0.0.1:40002/postgres", reloaded.get("quarkus.datasource.jdbc.url"));
    }

    @Test
    void aServerNeededLaterThanTheFirstStartIsNotLeftOutSilently() {
        EmbeddedServersSource.settings(context(Map.of("amqp-host", "broker.internal", "amqp-username", "svc")));

        ConfigurationException refused = assertThrows(ConfigurationException.class,
                () -> EmbeddedServersSource.settings(context(Map.of())));
        assertTrue(refused.getMessage().contains("The embedded broker is needed now"), refused.getMessage());
    }

    @Test
    void aBrokerWithoutCredentialsIsRefused() {
        ConfigurationException refused = assertThrows(ConfigurationException.class,
                () -> EmbeddedServersSource.settings(context(Map.of("amqp-host", "broker.internal"))));
        assertTrue(refused.getMessage().contains("credentials only"), refused.getMessage());
        assertEquals(Map.of(), EmbeddedServersSource.settings(context(Map.of("amqp-host", "broker.internal",
                EmbeddedServersSource.CONNECTOR_USERNAME, "svc", "quarkus.datasource.jdbc.url", "jdbc:postgresql://db/x"))));
    }

    private static ConfigSourceContext context(Map<String, String> properties) {
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
