package dev.streamlearn.trainer.flink;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --spec NAME=VALUE} option of every command that runs the training job ({@code train},
 * {@code local}, {@code flink run ... TrainingJobMain}): hyper-parameters for {@code
 * TrainingFamilies.defaultModels}. A picocli mixin.
 */
public final class SpecOverrides {
    @Option(
            names = "--spec",
            paramLabel = "NAME=VALUE",
            description =
                    "A hyper-parameter of every trained model that has it (repeatable), e.g."
                            + " --spec engine=dl4j.")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** Hyper-parameter name → value, in the order given. */
    public Map<String, String> values() {
        return overrides;
    }
}
