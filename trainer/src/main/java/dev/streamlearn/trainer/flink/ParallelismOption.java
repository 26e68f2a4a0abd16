package dev.streamlearn.trainer.flink;

import dev.streamlearn.models.pipeline.DeclaredModel;
import dev.streamlearn.trainer.training.TrainingOptions;
import picocli.CommandLine.Option;

/**
 * {@code --parallelism P} of every command that runs the training job ({@code train}, {@code
 * local}, {@code flink run ... TrainingJobMain}): each text model that does not declare its own is
 * learned by P learner subtasks combined into one version stream ({@code trainer.parallel}). A
 * picocli mixin.
 */
public final class ParallelismOption {
    @Option(
            names = "--parallelism",
            paramLabel = "P",
            description =
                    "Learner subtasks of every text model whose pipeline entry does not say;"
                            + " without it each model has one learner, as before (forecasters"
                            + " always do).")
    Integer parallelism;

    /**
     * {@code options} with this setting.
     *
     * @throws IllegalArgumentException naming the option, if the value is out of range
     */
    public TrainingOptions applyTo(TrainingOptions options) {
        if (parallelism == null) {
            return options;
        }
        if (parallelism < 1 || parallelism > DeclaredModel.MAX_PARALLELISM) {
            throw new IllegalArgumentException(
                    "--parallelism "
                            + parallelism
                            + ": expected 1 to "
                            + DeclaredModel.MAX_PARALLELISM);
        }
        return options.withParallelism(parallelism);
    }
}
