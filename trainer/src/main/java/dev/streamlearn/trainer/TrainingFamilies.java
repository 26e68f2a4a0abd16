package dev.streamlearn.trainer;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.family.TrainingFamily;
import dev.streamlearn.trainer.family.attention.AttentionTextTraining;
import dev.streamlearn.trainer.family.cnn.CnnClassifierTraining;
import dev.streamlearn.trainer.family.lstm.LstmForecasterTraining;
import dev.streamlearn.trainer.family.mlp.MlpClassifierTraining;
import dev.streamlearn.trainer.family.text.TextClassifierTraining;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.ModelTrainer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Every family the trainer can train, listed once: the one place a new family registers on the
 * trainer's side (ARCHITECTURE.md, "Adding a model family").
 */
public final class TrainingFamilies {
    private static final List<TrainingFamily> ALL =
            List.of(
                    LstmForecasterTraining.INSTANCE,
                    TextClassifierTraining.INSTANCE,
                    MlpClassifierTraining.INSTANCE,
                    CnnClassifierTraining.INSTANCE,
                    AttentionTextTraining.INSTANCE);

    private TrainingFamilies() {}

    public static List<TrainingFamily> all() {
        return ALL;
    }

    /**
     * The trainer's side of {@code family}.
     *
     * @throws IllegalArgumentException if the trainer does not know the family
     */
    public static TrainingFamily of(ModelFamily family) {
        for (TrainingFamily f : ALL) {
            if (f.family() == family) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "the trainer cannot train model kind '"
                        + family.id()
                        + "': expected one of "
                        + ALL.stream().map(f -> f.family().id()).toList());
    }

    /** The trainer's side of the family with {@code id}, e.g. {@code text-classifier}. */
    public static TrainingFamily byId(String id) {
        for (TrainingFamily f : ALL) {
            if (f.family().id().equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown model kind '"
                        + id
                        + "': expected one of "
                        + ALL.stream().map(f -> f.family().id()).toList());
    }

    /** The initialised DL4J network of {@code spec}. */
    public static MultiLayerNetwork network(ModelSpec spec) {
        MultiLayerNetwork net = new MultiLayerNetwork(of(spec.kind()).network(spec));
        net.init();
        return net;
    }

    /**
     * A trainer for a model the job has no saved state for: from the weights it last published when
     * they fit its configured shape, else from the spec's random initialisation.
     */
    public static ModelTrainer newTrainer(ModelDefinition model) {
        Optional<ModelWeights> start =
                model.published() == null
                        ? Optional.empty()
                        : model.published().startingWeights(model.modelSpec());
        ModelSpec spec = start.map(ModelWeights::spec).orElse(model.modelSpec());
        ModelTrainer trainer = of(model.kind()).newTrainer(spec);
        trainer.driftPolicy(model.drift());
        start.ifPresent(trainer::startFrom);
        return trainer;
    }

    /** A trainer continuing from a checkpointed learner and its prequential metrics. */
    public static ModelTrainer restoreTrainer(
            ModelDefinition model,
            LearnerSnapshot learner,
            double[] prequential,
            Map<String, Long> labelCounts) {
        ModelTrainer trainer = of(model.kind()).restoreTrainer(learner);
        trainer.driftPolicy(model.drift());
        trainer.restoreMetrics(prequential, labelCounts);
        return trainer;
    }

    /**
     * The models {@code pipeline} declares, each with those {@code overrides} its family declares
     * (as {@link #defaultModels}).
     */
    public static List<ModelDefinition> models(Pipeline pipeline, Map<String, String> overrides) {
        List<ModelDefinition> models =
                pipeline.models().stream()
                        .map(m -> ModelDefinition.of(m).withOverrides(overrides))
                        .toList();
        requireDeclared(overrides, models);
        return models;
    }

    /**
     * The default models of the families {@code which} names: a family's {@link
     * TrainingFamily#shortName()} ({@code series}, {@code text}, {@code vector}, {@code image}) or
     * {@code all} (those of {@code ModelFamilies.inDefaultPipeline()}); each with those {@code
     * overrides} (hyper-parameter name → value) its family declares.
     *
     * @throws IllegalArgumentException for an unknown {@code which}, a bad value, or an override
     *     that no chosen model declares, naming it and what the models do declare
     */
    public static List<ModelDefinition> defaultModels(String which, Map<String, String> overrides) {
        List<ModelDefinition> models =
                ALL.stream()
                        .filter(
                                f ->
                                        which.equals("all")
                                                ? ModelFamilies.inDefaultPipeline()
                                                        .contains(f.family())
                                                : which.equals(f.shortName()))
                        .map(f -> ModelDefinition.defaults(f.family()).withOverrides(overrides))
                        .toList();
        if (models.isEmpty()) {
            throw new IllegalArgumentException(
                    "--model "
                            + which
                            + ": expected "
                            + ALL.stream()
                                    .map(TrainingFamily::shortName)
                                    .collect(Collectors.joining(", "))
                            + " or all");
        }
        requireDeclared(overrides, models);
        return models;
    }

    private static void requireDeclared(
            Map<String, String> overrides, List<ModelDefinition> models) {
        for (String name : overrides.keySet()) {
            if (models.stream().noneMatch(m -> m.declares(name))) {
                throw new IllegalArgumentException(
                        "--spec "
                                + name
                                + ": no model trained here has that hyper-parameter; "
                                + models.stream()
                                        .map(m -> m.name() + " has " + m.spec().keySet())
                                        .toList());
            }
        }
    }
}
