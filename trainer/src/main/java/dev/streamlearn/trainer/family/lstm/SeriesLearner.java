package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;

/**
 * An online learner of {@code lstm-forecaster}, whichever engine ({@code
 * LstmForecasterSpec.ENGINE}) does the arithmetic: {@link ForecasterLearner} (Deeplearning4j, the
 * reference) or {@link FastForecasterLearner} (plain Java). Both take their examples through {@link
 * SeriesExamples}, so they refuse, scale and clip alike. Made by {@link
 * LstmForecasterTraining#newLearner} and {@link LstmForecasterTraining#restoreLearner}, so the job
 * and {@code evaluate} learn alike.
 */
public interface SeriesLearner {
    /**
     * Learns that {@code next} followed {@code window}: buffers the example and fits a full
     * mini-batch. Refused (learner unchanged): see {@link SeriesExamples#refusal}.
     */
    Offer offer(NormalisedWindow window, double next);

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

    ModelSpec spec();

    /** The current weights as a value: later learning does not change them. */
    ModelWeights weights();

    /**
     * A scoring model of the current weights. It may be the same object as before, brought up to
     * date in place; ask again after every offer and do not keep its weights.
     */
    LstmForecasterModel model();

    long examplesSeen();

    /** Mini-batches fitted (including reverted ones). */
    long fits();

    /** Mini-batches undone (or never applied) because they went non-finite. */
    long reverts();

    int pendingExamples();

    /**
     * Everything needed to continue bitwise-identically ({@link
     * LstmForecasterTraining#restoreLearner}).
     */
    LearnerSnapshot snapshot();

    /**
     * Replaces the parameters with {@code weights} of the same spec (the optimizer state stays as
     * it is): how a model with no saved learner continues from the weights it last published.
     */
    void startFrom(ModelWeights weights);
}
