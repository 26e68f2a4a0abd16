package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.Offer;

/**
 * An online learner of {@code lstm-forecaster}, whichever engine ({@code
 * LstmForecasterSpec.ENGINE}) does the arithmetic: {@link ForecasterLearner} (Deeplearning4j, the
 * reference) or {@link FastForecasterLearner} (plain Java). Both take their examples through {@link
 * SeriesExamples}, so they refuse, scale and clip alike. Made by {@link
 * LstmForecasterTraining#newLearner} and {@link LstmForecasterTraining#restoreLearner}, so the job
 * and {@code evaluate} learn alike.
 */
public interface SeriesLearner extends Learner {
    /**
     * Learns that {@code next} followed {@code window}: buffers the example and fits a full
     * mini-batch. Refused (learner unchanged): see {@link SeriesExamples#refusal}.
     */
    Offer offer(NormalisedWindow window, double next);

    /**
     * A scoring model of the current weights. It may be the same object as before, brought up to
     * date in place; ask again after every offer and do not keep its weights.
     */
    LstmForecasterModel model();
}
