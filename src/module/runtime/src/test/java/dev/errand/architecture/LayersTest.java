package dev.errand.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime's shape, checked on its compiled classes (docs/architecture.md draws it): the public
 * API at the bottom, importing nothing of Errand's inside; the core pipeline above it; the features
 * that plug into the pipeline above that; the web layer on top. No package imports one that imports
 * it back, however long the way round.
 */
class LayersTest {

    private static final String API = "dev.errand";
    private static final String[] CORE = { "dev.errand.internal.contract..", "dev.errand.internal.trust..",
            "dev.errand.internal.broker..", "dev.errand.internal.flow..", "dev.errand.internal.idempotency..",
            "dev.errand.internal.sending..", "dev.errand.internal.receiving..", "dev.errand.internal.handling..",
            "dev.errand.internal.handlers..", "dev.errand.internal.tracing..", "dev.errand.internal.metrics..",
            "dev.errand.internal.schema..", "dev.errand.internal.config..", "dev.errand.internal.embedded..",
            "dev.errand.internal.steps..", "dev.errand.internal.database..", "dev.errand.internal.time.." };
    private static final String[] FEATURES = { "dev.errand.internal.events..", "dev.errand.internal.functions..",
            "dev.errand.internal.deadletter..", "dev.errand.internal.outbox..", "dev.errand.internal.backpressure..",
            "dev.errand.internal.retention..", "dev.errand.internal.schedules.." };
    private static final String[] WEB = { "dev.errand.internal.web..", "dev.errand.internal.security..",
            "dev.errand.internal.operator..", "dev.errand.internal.foreground..", "dev.errand.internal.devui.." };

    private static JavaClasses runtime;

    @BeforeAll
    static void importRuntime() {
        runtime = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.errand");
    }

    @Test
    void noPackageOfTheRuntimeTakesPartInACycle() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass type) {
                return SliceIdentifier.of(type.getPackageName());
            }

            @Override
            public String getDescription() {
                return "one slice per package";
            }
        }).should().beFreeOfCycles().check(runtime);
    }

    @Test
    void thePublicApiImportsNothingOfErrandsInside() {
        noClasses().that().resideInAPackage(API).should().dependOnClassesThat()
                .resideInAPackage("dev.errand.internal..")
                .because("a service compiles against dev.errand alone; what is internal may change in any release")
                .check(runtime);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Api").definedBy(API)
                .layer("Core").definedBy(CORE)
                .layer("Features").definedBy(FEATURES)
                .layer("Web").definedBy(WEB)
                .whereLayer("Web").mayNotBeAccessedByAnyLayer()
                .whereLayer("Features").mayOnlyBeAccessedByLayers("Features", "Web")
                .whereLayer("Core").mayOnlyBeAccessedByLayers("Features", "Web")
                .check(runtime);
    }
}
