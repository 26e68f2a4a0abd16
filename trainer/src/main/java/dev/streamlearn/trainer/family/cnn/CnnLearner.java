package dev.streamlearn.trainer.family.cnn;

import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.Offer;

/**
 * An online learner of {@code cnn-classifier}. Made by {@link CnnClassifierTraining#newLearner} and
 * {@link CnnClassifierTraining#restoreLearner}, so the job and {@code evaluate} learn alike.
 */
public interface CnnLearner extends Learner {
    /**
     * Buffers a labelled image and fits a full mini-batch. Refused (learner unchanged): a missing
     * or malformed label, a label beyond the last slot, an image of another size than the spec's.
     */
    Offer offer(int width, int height, int channels, byte[] pixels, String label);

    /** The spec, with the labels learned so far. */
    @Override
    ModelSpec spec();

    /**
     * A scoring model of the current weights. It may share the learner's array; ask again after
     * every offer and do not keep its weights.
     */
    CnnClassifierModel model();
}
