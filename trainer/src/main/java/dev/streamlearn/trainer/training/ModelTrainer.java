package dev.streamlearn.trainer.training;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import java.util.Arrays;
import java.util.Map;

/**
 * Prequential (test-then-train) learning of one model, without Flink: each example is first scored
 * by the {@code models} kernel with the current weights — next to a baseline on the same example —
 * and only then offered to the model's {@link Learner}. The same test's loss goes to the model's
 * {@link DriftWatch}, which acts on the learner when it detects a drift. The learner operator holds
 * one per model and checkpoints it through {@link #learnerSnapshot()} and {@link #metricsState()}.
 * Each family has its own ({@code trainer.family.<name>}); what only passes through to the learner
 * is here, once.
 */
public abstract class ModelTrainer {
    /**
     * Ends {@link #metricsState()} when it holds the drift watch's state, after that state's
     * length: a checkpoint from before drift detection holds the family's sums only.
     */
    private static final double DRIFT_MARK = -7.77e77;

    private final DriftWatch drift;

    protected ModelTrainer(DriftWatch.Options drift) {
        this.drift = new DriftWatch(drift);
    }

    /** Scores {@code example} with the current weights, then learns from it. */
    public abstract Offer offer(TrainingInput example);

    /** Prequential metrics and their baseline's ({@code baseline.*}), by name. */
    protected abstract Map<String, Double> prequentialMetrics();

    /** The mini-batch size the model's spec declares. */
    public abstract int specBatchSize();

    /** The family's prequential sums, as {@link #restorePrequential} reads them. */
    protected abstract double[] prequentialState();

    /** Label counts of the text baseline, in first-seen order; empty for other kinds. */
    public abstract Map<String, Long> labelCounts();

    protected abstract void restorePrequential(double[] state, Map<String, Long> labelCounts);

    /** The learner the examples go to. */
    protected abstract Learner learner();

    /**
     * Gives the drift watch the loss of the example about to be learned ({@link DriftLosses}); on a
     * detection it has acted on the learner and returns it, else null.
     */
    protected final DriftWatch.Detection watchDrift(double loss) {
        return drift.watch(loss, learner());
    }

    /** Detections so far and the last one's evidence. */
    public final DriftWatch driftWatch() {
        return drift;
    }

    /** {@link #prequentialMetrics()} and the drift watch's ({@code drift.*}). */
    public final Map<String, Double> metrics() {
        Map<String, Double> m = prequentialMetrics();
        drift.putMetrics(m);
        return m;
    }

    /** The prequential sums and the drift watch, as {@link #restoreMetrics} reads them. */
    public final double[] metricsState() {
        double[] family = prequentialState();
        double[] watch = drift.state();
        double[] state = Arrays.copyOf(family, family.length + watch.length + 2);
        System.arraycopy(watch, 0, state, family.length, watch.length);
        state[state.length - 2] = watch.length;
        state[state.length - 1] = DRIFT_MARK;
        return state;
    }

    /**
     * Continues from {@link #metricsState()}, or from a family's sums alone (older checkpoints).
     */
    public final void restoreMetrics(double[] state, Map<String, Long> labelCounts) {
        int n = state.length;
        if (n >= 2 && state[n - 1] == DRIFT_MARK) {
            int watch = (int) state[n - 2];
            int family = n - 2 - watch;
            drift.restore(Arrays.copyOfRange(state, family, n - 2));
            drift.resume(learner());
            restorePrequential(Arrays.copyOf(state, family), labelCounts);
        } else {
            restorePrequential(state, labelCounts);
        }
    }

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
