package dev.errand.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Errand gives some of the service's own settings a default (HostDefaultsProcessor): the service gets
 * them when it says nothing, and its own value wins when it does. This service sets one of them.
 */
class HostSettingDefaultsTest {

    @RegisterExtension
    static final QuarkusUnitTest SERVICE = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.datasource.jdbc.validation-query-timeout", "7s")
            .overrideConfigKey("quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout", "630");

    @Test
    void theServicesOwnValueWinsOverErrandsDefault() {
        Config config = ConfigProvider.getConfig();

        assertEquals("7s", config.getValue("quarkus.datasource.jdbc.validation-query-timeout", String.class));
        assertEquals("630", config.getValue("quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout",
                String.class));
    }

    @Test
    void aSettingTheServiceLeavesUnsetHasErrandsDefault() {
        Config config = ConfigProvider.getConfig();

        assertEquals("2s", config.getValue("quarkus.datasource.jdbc.foreground-validation-interval", String.class));
        assertEquals("-c statement_timeout=60s",
                config.getValue("quarkus.datasource.jdbc.additional-jdbc-properties.options", String.class));
        assertEquals("1000", config.getValue("mp.messaging.connector.smallrye-amqp.reconnect-attempts", String.class));
        // Read when the service is built, so from the runtime jar's microprofile-config.properties.
        assertEquals("postgresql", config.getValue("quarkus.datasource.db-kind", String.class));
    }
}
