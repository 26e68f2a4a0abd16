package dev.streamlearn.models;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The models module is what the scorer loads: it must stay plain Java. */
@AnalyzeClasses(
        packages = "dev.streamlearn.models",
        importOptions = ImportOption.DoNotIncludeTests.class)
class ModelsArchitectureTest {

    @ArchTest
    static final ArchRule modelsUseNoTrainingOrStreamingFramework =
            noClasses()
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "org.deeplearning4j..",
                            "org.nd4j..",
                            "org.bytedeco..",
                            "org.apache.flink..",
                            "org.apache.kafka..");
}
