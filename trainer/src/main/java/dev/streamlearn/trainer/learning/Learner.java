package dev.streamlearn.trainer.learning;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;

/**
 * What the job and {@code evaluate} need of any family's online learner, whichever engine does the
 * arithmetic. Each family's own learner interface adds how its examples are offered and the scoring
 * model it keeps up to date ({@code TextLearner}, {@code SeriesLearner}).
 */
public interface Learner {
    /** The spec as it stands (a family may change it while learning, e.g. labels learned). */
    ModelSpec spec();

    /** The current weights as a value: later learning does not change them. */
    ModelWeights weights();

    long examplesSeen();

    /** Mini-batches fitted (including reverted ones). */
    long fits();

    /** Mini-batches undone (or never applied) because they went non-finite. */
    long reverts();

    int pendingExamples();

    /**
     * Sets the size of the mini-batches fitted from now on (the job's {@code AdaptiveBatchSize});
     * examples already buffered stay, and a buffer already that full is fitted, all of it, with the
     * next example.
     *
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    void batchSize(int size);

    /**
     * Fits the buffered examples now as one mini-batch, however many there are ({@link
     * Offer.Status#BUFFERED} and nothing done if none): how the job learns what a grown mini-batch
     * still holds when its stream slows down or stops.
     */
    Offer flush();

    /** Everything needed to continue bitwise-identically (the family's {@code restoreLearner}). */
    LearnerSnapshot snapshot();

    /**
     * Replaces the parameters with {@code weights} of the same spec: how a model with no saved
     * learner continues from the weights it last published.
     */
    void startFrom(ModelWeights weights);

    /**
     * Moves some parameters in place, the rest and the optimizer state staying as they are: for
     * each {@code i}, the {@code lengths[i]} parameters from {@code starts[i]} (in the spec's
     * parameter layout) are moved by the next {@code lengths[i]} values of {@code change}, read
     * from its start (it may be longer, as a reused buffer is; the rest is not read). The same as
     * {@link #startFrom} of the moved {@link #weights()}, without copying the whole model twice:
     * how a data-parallel learner takes the few rows the others changed. This default does copy; a
     * learner whose model is large and sparse in its updates overrides it.
     *
     * @throws IllegalArgumentException if a range falls outside the parameters or {@code change} is
     *     shorter than the ranges together; then no parameter has moved
     */
    default void addToParameters(int[] starts, int[] lengths, float[] change) {
        ModelWeights current = weights();
        float[] params = current.params();
        Ranges.add(params, starts, lengths, change);
        startFrom(new ModelWeights(current.spec(), params));
    }

    /**
     * Copies the parameters as they stand into {@code into}, which must be as long: {@link
     * #weights()} without allocating the model anew, for a caller that reads it often.
     *
     * @throws IllegalArgumentException if {@code into} is not as long as the parameters
     */
    default void copyParameters(float[] into) {
        float[] params = weights().params();
        Ranges.requireLength(into, params.length);
        System.arraycopy(params, 0, into, 0, params.length);
    }

    /** The arithmetic and checks of {@link #addToParameters}, shared by its implementations. */
    final class Ranges {
        private Ranges() {}

        /** See {@link #copyParameters}. */
        public static void requireLength(float[] into, int length) {
            if (into.length != length) {
                throw new IllegalArgumentException(
                        "cannot copy " + length + " parameters into " + into.length + " floats");
            }
        }

        /**
         * {@code params} moved as {@link #addToParameters} says, in place; all the ranges are
         * checked before any moves, so a refused call leaves {@code params} as it was.
         */
        public static void add(float[] params, int[] starts, int[] lengths, float[] change) {
            if (starts.length != lengths.length) {
                throw new IllegalArgumentException(
                        starts.length + " range starts but " + lengths.length + " lengths");
            }
            long total = 0;
            for (int i = 0; i < starts.length; i++) {
                int start = starts[i];
                int length = lengths[i];
                if (start < 0 || length < 0 || start > params.length - length) {
                    throw new IllegalArgumentException(
                            "range ["
                                    + start
                                    + ", "
                                    + ((long) start + length)
                                    + ") outside the "
                                    + params.length
                                    + " parameters");
                }
                total += length;
            }
            if (total > change.length) {
                throw new IllegalArgumentException(
                        "only "
                                + change.length
                                + " changes given for ranges of "
                                + total
                                + " parameters");
            }
            int at = 0;
            for (int i = 0; i < starts.length; i++) {
                int start = starts[i];
                for (int k = 0; k < lengths[i]; k++) {
                    params[start + k] += change[at + k];
                }
                at += lengths[i];
            }
        }
    }

    /**
     * From now on, multiplies by {@code factor} the learning rate of the layers a changed concept
     * is relearned in: the family's output layer (text: the softmax head, not the embedding;
     * series: the LSTM and its output layer). 1 is the spec's rate. What the trainer does for a
     * while after a detected drift (docs/ARCHITECTURE.md, "Drift"). Not part of the snapshot: the
     * trainer sets it again after a restore.
     *
     * @throws IllegalArgumentException if {@code factor} is not positive and finite
     */
    void scaleLearningRate(double factor);
}
