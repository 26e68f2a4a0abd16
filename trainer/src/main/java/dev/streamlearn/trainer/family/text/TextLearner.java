package dev.streamlearn.trainer.family.text;

import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.Offer;

/**
 * An online learner of {@code text-classifier}, whichever engine ({@code
 * TextClassifierSpec.ENGINE}) does the arithmetic: {@link TextClassifierLearner} (Deeplearning4j,
 * the reference) or {@link FastTextClassifierLearner} (plain Java). Made by {@link
 * TextClassifierTraining#newLearner} and {@link TextClassifierTraining#restoreLearner}, so the job
 * and {@code evaluate} learn alike.
 */
public interface TextLearner extends Learner {
    /**
     * Tokenizes {@code text} with the spec's tokenizer, then {@link #offer(TokenizedText, String)}.
     */
    Offer offer(String text, String label);

    /**
     * Buffers a labelled text and fits a full mini-batch; a label never seen that finds every slot
     * taken first grows the model ({@code LabelGrowth}). Refused (learner unchanged): a missing or
     * malformed label, a label beyond {@code TextClassifierSpec.MAX_SLOTS}, a text without tokens,
     * a token id outside the vocabulary.
     */
    Offer offer(TokenizedText text, String label);

    /** The spec, with the labels learned so far and the slots grown to. */
    @Override
    ModelSpec spec();

    /**
     * A scoring model of the current weights. It may be the same object as before, brought up to
     * date in place; ask again after every offer and do not keep its weights.
     */
    TextClassifierModel model();
}
