package dev.streamlearn.trainer.flink;

import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.training.ModelDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --pipeline FILE}: the models a pipeline file declares (README, "Pipelines") instead of one
 * default model per family. A picocli mixin of every command that trains or serves.
 */
public final class PipelineOption {
    @Option(
            names = "--pipeline",
            paramLabel = "FILE",
            description =
                    "YAML file declaring the models (name, family, input topic, spec, publish"
                            + " policy); default: one model per family, on its topic.")
    Path file;

    /** The file as first read: a command asks for its models and then its topics. */
    private Pipeline read;

    /** Whether a file was given. */
    public boolean given() {
        return file != null;
    }

    /** The file's pipeline, read and checked once; the default one without a file. */
    public Pipeline pipeline() {
        if (file == null) {
            return Pipeline.defaults();
        }
        if (read == null) {
            read = PipelineFile.read(file);
        }
        return read;
    }

    /**
     * The models to train: the file's, or without one the default models of the families {@code
     * which} names ({@link TrainingFamilies#defaultModels}); each with the {@code overrides} its
     * family declares.
     *
     * @throws IllegalArgumentException for a bad file, or a {@code which} other than {@code all}
     *     beside a file (the file says which models)
     */
    public List<ModelDefinition> models(String which, Map<String, String> overrides) {
        if (file == null) {
            return TrainingFamilies.defaultModels(which, overrides);
        }
        if (!which.equals("all")) {
            throw new IllegalArgumentException(
                    "--model "
                            + which
                            + " with --pipeline "
                            + file
                            + ": the pipeline file says which models to train; give one or the"
                            + " other");
        }
        return TrainingFamilies.models(pipeline(), overrides);
    }
}
