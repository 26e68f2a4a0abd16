package dev.streamlearn.trainer.family.mlp;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.Offer;

/**
 * An online learner of {@code mlp-classifier}. Made by {@link MlpClassifierTraining#newLearner} and
 * {@link MlpClassifierTraining#restoreLearner}, so the job and {@code evaluate} learn alike.
 */
public interface MlpLearner extends Learner {
    /**
     * Buffers a labelled vector and fits a full mini-batch. Refused (learner unchanged): a missing
     * or malformed label, a label beyond the last slot, a vector of another length than the spec's
     * inputs or with a value that is not finite.
     */
    Offer offer(double[] features, String label);

    /** The spec, with the labels learned so far. */
    @Override
    ModelSpec spec();

    /**
     * A scoring model of the current weights. It may share the learner's array; ask again after
     * every offer and do not keep its weights.
     */
    MlpClassifierModel model();
}
