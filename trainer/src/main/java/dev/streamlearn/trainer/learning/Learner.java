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
