package dev.errand.apps;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.junit.jupiter.api.Test;

/**
 * The demo is written as any service would be: on Errand's public API alone. What a service needs
 * for its own endpoints (a problem answer, a role, room on a queue) is in {@code dev.errand}.
 */
class PublicApiOnlyTest {

    @Test
    void noClassOfTheDemoImportsErrandsInside() {
        noClasses().that().resideInAPackage("dev.errand.apps..").should().dependOnClassesThat()
                .resideInAPackage("dev.errand.internal..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.errand.apps"));
    }
}
