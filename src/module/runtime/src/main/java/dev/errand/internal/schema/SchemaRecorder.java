package dev.errand.internal.schema;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.Recorder;

/** Migrates Errand's tables at start-up, before Hibernate ORM validates them. */
@Recorder
public class SchemaRecorder {

    public void migrate() {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        int retries = config.getOptionalValue("quarkus.flyway.connect-retries", Integer.class).orElse(0);
        java.time.Duration interval = config.getOptionalValue("quarkus.flyway.connect-retries-interval",
                java.time.Duration.class).orElse(java.time.Duration.ofSeconds(120));
        ErrandSchema.migrate(Arc.container().select(AgroalDataSource.class).get(), "latest", retries, interval);
    }
}
