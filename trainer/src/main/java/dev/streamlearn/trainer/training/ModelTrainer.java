package dev.streamlearn.trainer.training;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.pipeline.DeclaredModel.DriftPolicy;
import dev.streamlearn.models.spec.ModelSpec;
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
 * one per model and checkpoints it through {@link #learnerSnapshot()}, {@link #prequentialSums()}
 * and {@link #driftState()}. Each family has its own ({@code trainer.family.<name>}); what only
 * passes through to the learner is here, once.
 */
public abstract class ModelTrainer {
    /**
     * Ended a checkpoint's prequential sums, after the drift watch's state and its length, in the
     * learner state's format 1 (the watch has a field of its own since format 2); {@link
     * #metricsState()} still writes it for the data-parallel learners' state, which holds one
     * array.
     */
    private static final double LEGACY_DRIFT_MARK = -7.77e77;

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

    /**
     * Watches for drift as {@code policy} says where it differs from the family's defaults (a
     * pipeline file's {@code drift}); what was watched so far is kept.
     */
    public final void driftPolicy(DriftPolicy policy) {
        drift.reconfigure(drift.options().with(policy));
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

    /** The family's prequential sums, as {@link #restoreMetrics} reads them. */
    public final double[] prequentialSums() {
        return prequentialState();
    }

    /**
     * The drift watch's state, laid out as {@link DriftWatch#STATE_FORMAT}, as {@link
     * #restoreDrift} reads it.
     */
    public final double[] driftState() {
        return drift.state();
    }

    /**
     * Continues the drift watch from {@link #driftState()} (and sets the learner's learning rate as
     * the watch had it), after {@link #restoreMetrics} restored the sums.
     *
     * @throws IllegalArgumentException if {@code format} is not {@link DriftWatch#STATE_FORMAT} or
     *     {@code state} is not a watch's
     */
    public final void restoreDrift(int format, double[] state) {
        if (format != DriftWatch.STATE_FORMAT) {
            throw new IllegalArgumentException(
                    "drift watch state format "
                            + format
                            + " is unknown; this build reads "
                            + DriftWatch.STATE_FORMAT);
        }
        drift.restore(state);
        drift.resume(learner());
    }

    /**
     * The prequential sums and the drift watch in one array, the watch's state at the end after its
     * length and a marker, as {@link #restoreMetrics} reads them: for the data-parallel learners'
     * state, which keeps one array for both.
     */
    public final double[] metricsState() {
        double[] family = prequentialState();
        double[] watch = drift.state();
        double[] state = Arrays.copyOf(family, family.length + watch.length + 2);
        System.arraycopy(watch, 0, state, family.length, watch.length);
        state[state.length - 2] = watch.length;
        state[state.length - 1] = LEGACY_DRIFT_MARK;
        return state;
    }

    /**
     * Continues from {@link #prequentialSums()}; or from {@link #metricsState()}, the drift watch
     * included (format-1 checkpoints, the data-parallel learners' state). Sums alone, from
     * checkpoints before drift detection or with the watch in a field of its own, leave the watch
     * as it is ({@link #restoreDrift}).
     */
    public final void restoreMetrics(double[] state, Map<String, Long> labelCounts) {
        int n = state.length;
        if (n >= 2 && state[n - 1] == LEGACY_DRIFT_MARK) {
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

    /** The learner's spec as it stands (labels learned so far). */
    public final ModelSpec spec() {
        return learner().spec();
    }

    /** Copies the parameters into {@code into} ({@link Learner#copyParameters}). */
    public final void copyParameters(float[] into) {
        learner().copyParameters(into);
    }

    /** Moves some parameters in place ({@link Learner#addToParameters}). */
    public final void addToParameters(int[] starts, int[] lengths, float[] change) {
        learner().addToParameters(starts, lengths, change);
    }

    /** Starts learning afresh from these weights (the optimizer state stays fresh). */
    public final void startFrom(ModelWeights weights) {
        learner().startFrom(weights);
    }
}
