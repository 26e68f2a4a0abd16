package dev.streamlearn.trainer.job;

import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import java.util.Map;
import java.util.Optional;

/**
 * Prequential (test-then-train) learning of one model, without Flink: each example is first scored
 * by the {@code models} kernel with the current weights — next to a baseline on the same example —
 * and only then offered to the DL4J learner. The learner operator holds one per model and
 * checkpoints it through {@link #state()}.
 */
abstract class ModelTrainer {
    /** Scores {@code example} with the current weights, then learns from it. */
    abstract Offer offer(TrainingInput example);

    /** Prequential metrics and their baseline's ({@code baseline.*}), by name. */
    abstract Map<String, Double> metrics();

    abstract ModelWeights weights();

    abstract long examplesSeen();

    abstract LearnerSnapshot learnerSnapshot();

    /** The prequential sums, as {@link #restoreMetrics} reads them. */
    abstract double[] metricsState();

    /** Label counts of the text baseline, in first-seen order; empty for other kinds. */
    abstract Map<String, Long> labelCounts();

    abstract void restoreMetrics(double[] state, Map<String, Long> labelCounts);

    /** Starts learning afresh from these weights (the optimizer state stays fresh). */
    abstract void startFrom(ModelWeights weights);

    /**
     * A trainer for a model the job has no saved state for: from the weights it last published when
     * they fit its configured shape, else from the spec's random initialisation.
     */
    static ModelTrainer create(ModelDefinition model) {
        Optional<ModelWeights> start =
                model.published() == null
                        ? Optional.empty()
                        : model.published().startingWeights(model.modelSpec());
        ModelSpec spec = start.map(ModelWeights::spec).orElse(model.modelSpec());
        ModelTrainer trainer =
                model.kind() == LstmForecasterFamily.INSTANCE
                        ? new SeriesTrainer(spec)
                        : new TextTrainer(spec);
        start.ifPresent(trainer::startFrom);
        return trainer;
    }

    static ModelTrainer restore(ModelDefinition model, LearnerState state) {
        ModelTrainer trainer =
                model.kind() == LstmForecasterFamily.INSTANCE
                        ? new SeriesTrainer(state.learner())
                        : new TextTrainer(state.learner());
        trainer.restoreMetrics(state.prequential(), state.labelCounts());
        return trainer;
    }
}
