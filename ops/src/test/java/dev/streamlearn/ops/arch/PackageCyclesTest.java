package dev.streamlearn.ops.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * No package depends, directly or through others, on a package that depends on it: each package can
 * be read, tested and moved with what it uses, never with what uses it. Next to {@link
 * ModuleArrowsTest}, which holds the arrows between modules.
 */
class PackageCyclesTest {
    @Test
    void noPackageCycles() {
        JavaClasses classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        // Other modules' test fixtures reach this module as test-jars.
                        .withImportOption(location -> !location.contains("-tests.jar"))
                        .importPackages("dev.streamlearn");
        // Every package is its own slice: "(**)" captures the whole package name.
        slices().matching("dev.streamlearn.(**)").should().beFreeOfCycles().check(classes);
    }
}
