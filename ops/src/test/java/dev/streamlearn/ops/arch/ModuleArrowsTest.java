package dev.streamlearn.ops.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the module arrows of docs/ARCHITECTURE.md: scoring never needs DL4J, ND4J or Flink (the
 * {@code models} kernels are plain Java), and nothing depends on {@code ops}, the outermost layer.
 * Lives in {@code ops} because only this module sees every other one.
 */
class ModuleArrowsTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.streamlearn");
    }

    @Test
    void modelsNeverUseDl4jNd4jOrFlink() {
        noClasses()
                .that()
                .resideInAPackage("dev.streamlearn.models..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.deeplearning4j..", "org.nd4j..", "org.apache.flink..")
                .check(classes);
    }

    @Test
    void scorerNeverUsesDl4jNd4jOrFlink() {
        noClasses()
                .that()
                .resideInAPackage("dev.streamlearn.scorer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.deeplearning4j..", "org.nd4j..", "org.apache.flink..")
                .check(classes);
    }

    @Test
    void nothingOutsideOpsDependsOnOps() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.streamlearn.ops..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.streamlearn.ops..")
                .check(classes);
    }

    @Test
    void schemasDependOnNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage("dev.streamlearn.schemas..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.streamlearn.models..",
                        "dev.streamlearn.ingestion..",
                        "dev.streamlearn.trainer..",
                        "dev.streamlearn.scorer..",
                        "dev.streamlearn.broker..")
                .check(classes);
    }

    @Test
    void modelsDependOnlyOnSchemasAmongTheModules() {
        noClasses()
                .that()
                .resideInAPackage("dev.streamlearn.models..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.streamlearn.ingestion..",
                        "dev.streamlearn.trainer..",
                        "dev.streamlearn.scorer..",
                        "dev.streamlearn.broker..")
                .check(classes);
    }
}
