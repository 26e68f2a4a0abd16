package dev.streamlearn.trainer.training;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import java.util.Map;

/**
 * Prequential (test-then-train) learning of one model, without Flink: each example is first scored
 * by the {@code models} kernel with the current weights — next to a baseline on the same example —
 * and only then offered to the model's {@link Learner}. The learner operator holds one per model
 * and checkpoints it through {@link #learnerSnapshot()} and {@link #metricsState()}. Each family
 * has its own ({@code trainer.family.<name>}); what only passes through to the learner is here,
 * once.
 */
public abstract class ModelTrainer {
    /** Scores {@code example} with the current weights, then learns from it. */
    public abstract Offer offer(TrainingInput example);

    /** Prequential metrics and their baseline's ({@code baseline.*}), by name. */
    public abstract Map<String, Double> metrics();

    /** The mini-batch size the model's spec declares. */
    public abstract int specBatchSize();

    /** The prequential sums, as {@link #restoreMetrics} reads them. */
    public abstract double[] metricsState();

    /** Label counts of the text baseline, in first-seen order; empty for other kinds. */
    public abstract Map<String, Long> labelCounts();

    public abstract void restoreMetrics(double[] state, Map<String, Long> labelCounts);

    /** The learner the examples go to. */
    protected abstract Learner learner();

    public final ModelWeights weights() {
        return learner().weights();
    }

    public final long examplesSeen() {
        return learner().examplesSeen();
    }

    /** Sets the learner's mini-batch size from now on ({@link AdaptiveBatchSize}). */
    public final void batchSize(int size) {
        learner().batchSize(size);
    }

    /** Fits the examples the learner holds now, however many ({@link Learner#flush}). */
    public final Offer flush() {
        return learner().flush();
    }

    /** Examples buffered for the next mini-batch. */
    public final int pendingExamples() {
        return learner().pendingExamples();
    }

    public final LearnerSnapshot learnerSnapshot() {
        return learner().snapshot();
    }

    /** Starts learning afresh from these weights (the optimizer state stays fresh). */
    public final void startFrom(ModelWeights weights) {
        learner().startFrom(weights);
    }
}
