package dev.errand.deployment;

import java.util.List;

import dev.errand.internal.schema.ErrandSchema;
import dev.errand.internal.schema.SchemaRecorder;
import io.quarkus.agroal.spi.JdbcDataSourceBuildItem;
import io.quarkus.agroal.spi.JdbcDataSourceSchemaReadyBuildItem;
import io.quarkus.arc.deployment.SyntheticBeansRuntimeInitBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Consume;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.InitTaskCompletedBuildItem;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;

/** Errand's own tables: migrated at start-up, before Hibernate ORM validates the entities. */
class SchemaProcessor {

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Consume(SyntheticBeansRuntimeInitBuildItem.class)
    ServiceStartBuildItem migrate(SchemaRecorder recorder, List<JdbcDataSourceBuildItem> datasources,
            // After the service's own migrations (Flyway or Liquibase at start), so that they find the
            // empty schema they expect on a new database.
            List<InitTaskCompletedBuildItem> serviceMigrations,
            BuildProducer<JdbcDataSourceSchemaReadyBuildItem> ready) {
        recorder.migrate();
        // Hibernate ORM starts its persistence units after every datasource's schema is ready.
        ready.produce(new JdbcDataSourceSchemaReadyBuildItem(
                datasources.stream().filter(JdbcDataSourceBuildItem::isDefault).map(JdbcDataSourceBuildItem::getName)
                        .toList()));
        return new ServiceStartBuildItem("errand-schema");
    }

    /** A native image carries the migrations as resources. */
    @BuildStep
    NativeImageResourceBuildItem migrations() {
        return new NativeImageResourceBuildItem(ErrandSchema.MIGRATIONS.stream().map(name -> "db/errand/" + name).toList());
    }
}
