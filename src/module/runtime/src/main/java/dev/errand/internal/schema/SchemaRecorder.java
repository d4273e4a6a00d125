package dev.errand.internal.schema;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.Recorder;

/** Migrates Errand's tables at start-up, before Hibernate ORM validates them. */
@Recorder
public class SchemaRecorder {

    public void migrate() {
        ErrandSchema.migrate(Arc.container().select(AgroalDataSource.class).get());
    }
}
