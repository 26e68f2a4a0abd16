package dev.streamlearn.trainer.family.text;

import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;

/**
 * An online learner of {@code text-classifier}, whichever engine ({@code
 * TextClassifierSpec.ENGINE}) does the arithmetic: {@link TextClassifierLearner} (Deeplearning4j,
 * the reference) or {@link FastTextClassifierLearner} (plain Java). Made by {@link
 * TextClassifierTraining#newLearner} and {@link TextClassifierTraining#restoreLearner}, so the job
 * and {@code evaluate} learn alike.
 */
public interface TextLearner {
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

    /** The spec, with the labels learned so far and the slots grown to. */
    ModelSpec spec();

    /** The current weights as a value: later learning does not change them. */
    ModelWeights weights();

    /**
     * A scoring model of the current weights. It may be the same object as before, brought up to
     * date in place; ask again after every offer and do not keep its weights.
     */
    TextClassifierModel model();

    long examplesSeen();

    /** Mini-batches fitted (including reverted ones). */
    long fits();

    /** Mini-batches undone (or never applied) because they went non-finite. */
    long reverts();

    int pendingExamples();

    /**
     * Everything needed to continue bitwise-identically ({@link
     * TextClassifierTraining#restoreLearner}).
     */
    LearnerSnapshot snapshot();

    /**
     * Replaces the parameters with {@code weights} of the same spec: how a model with no saved
     * learner continues from the weights it last published.
     */
    void startFrom(ModelWeights weights);
}
