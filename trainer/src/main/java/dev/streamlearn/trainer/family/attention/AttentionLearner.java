package dev.streamlearn.trainer.family.attention;

import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.Offer;

/**
 * An online learner of {@code attention-text-classifier}. Made by {@link
 * AttentionTextTraining#newLearner} and {@link AttentionTextTraining#restoreLearner}, so the job
 * and {@code evaluate} learn alike.
 */
public interface AttentionLearner extends Learner {
    /**
     * Buffers a labelled text and fits a full mini-batch; a label never seen that finds every slot
     * taken first grows the model. Refused (learner unchanged): a missing or malformed label, a
     * label beyond the most slots, a text without tokens, a token id outside the vocabulary. The
     * tokens learned are those {@code TokenSelection} keeps.
     */
    Offer offer(TokenizedText text, String label);

    /** The spec, with the labels learned so far and the slots grown to. */
    @Override
    ModelSpec spec();

    /**
     * A scoring model of the current weights. It may share the learner's array; ask again after
     * every offer and do not keep its weights.
     */
    AttentionTextModel model();
}
