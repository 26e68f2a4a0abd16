package dev.streamlearn.models.family.text;

import static dev.streamlearn.models.spec.ParamValidators.finiteInLeftOpen;
import static dev.streamlearn.models.spec.ParamValidators.inRange;
import static dev.streamlearn.models.spec.ParamValidators.powerOfTwoInRange;

import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.LabelSlots;
import dev.streamlearn.models.spec.LearningParams;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import java.util.List;

/**
 * Hyper-parameters of {@code text-classifier}: hashed tokens → embedding → average pooling over the
 * unmasked tokens → softmax over {@link #MAX_LABELS} slots (a fastText-style linear model, Joulin
 * et al. 2017). Labels get slots in the order they first appear; {@link #LABELS} lists them. When a
 * new label finds every slot taken the model grows ({@link LabelGrowth}), up to {@link #MAX_SLOTS}.
 *
 * <p>The defaults of {@link #VOCAB_SIZE}, {@link #EDGE_TOKENS}, {@link #LEARNING_RATE} and {@link
 * #EMBEDDING_LEARNING_RATE} were chosen by one prequential pass over two dev streams (Debian
 * package descriptions, 58 labels; SpamAssassin, 2 labels) and checked on a third kept out of the
 * choice (20,000 other Debian packages); BENCHMARKS.md, "Text defaults", has the measurements.
 * Weights stored before {@link #EDGE_TOKENS} existed name none and are read as {@code edgeTokens=0}
 * ({@link TextClassifierFamily#storedSpec}).
 */
public final class TextClassifierSpec {
    private TextClassifierSpec() {}

    /**
     * The most output slots a model grows to, and so the most labels it learns: four times the
     * thousand labels a stream may bring with no setting. Scoring's projection table is vocabSize x
     * labels floats (512 MB at the default vocabulary and 4,096 labels) and each training example
     * costs embeddingSize x slots in the head, so a label space beyond this wants a hierarchical
     * softmax (as fastText has), which this family does not have.
     */
    public static final int MAX_SLOTS = 4096;

    private static final LabelSlots SLOTS = LabelSlots.growing(8, MAX_SLOTS);

    public static final Param<Integer> VOCAB_SIZE =
            Param.intParam(
                    "vocabSize",
                    "Hash buckets of the tokenizer (embedding rows); id 0 is the padding token.",
                    1 << 15,
                    powerOfTwoInRange(2, 1 << 24));
    public static final Param<Integer> EMBEDDING_SIZE =
            Param.intParam("embeddingSize", "Embedding dimension.", 64, inRange(1, 4096));
    public static final Param<Integer> MAX_TOKENS =
            Param.intParam(
                    "maxTokens",
                    "Tokens kept per text (the first ones).",
                    400,
                    inRange(1, 100_000));
    public static final Param<Integer> MAX_LABELS = SLOTS.maxLabels();
    public static final Param<String> LABELS = SLOTS.labels();
    public static final Param<Integer> EDGE_TOKENS =
            Param.intParam(
                    "edgeTokens",
                    "1: the first and the last token of a text also count as tokens of their own"
                            + " (average pooling forgets where a word stood, and the ends of a"
                            + " short text often say the most); 0: words only.",
                    1,
                    inRange(0, 1));

    /**
     * Adam's step size for the softmax layer. The embedding has its own ({@link
     * #EMBEDDING_LEARNING_RATE}): its rows are sparse (a row learns only from the texts that hold
     * its token) and want a step ten times the dense layer's, which every example updates.
     */
    public static final Param<Double> LEARNING_RATE =
            LearningParams.learningRate("Adam step size of the softmax layer.", 0.003);

    public static final Param<Double> EMBEDDING_LEARNING_RATE =
            Param.doubleParam(
                    "embeddingLearningRate",
                    "Adam step size of the embedding.",
                    0.03,
                    finiteInLeftOpen(0, 1));
    public static final Param<Integer> BATCH_SIZE = LearningParams.batchSize();
    public static final Param<Long> SEED = LearningParams.seed();

    public static final Param<String> ENGINE =
            Engine.param(
                    "plain Java, updates only the embedding rows of a mini-batch's" + " tokens");

    /** In declaration order. */
    public static final List<Param<?>> PARAMS =
            List.of(
                    VOCAB_SIZE,
                    EMBEDDING_SIZE,
                    MAX_TOKENS,
                    EDGE_TOKENS,
                    MAX_LABELS,
                    LABELS,
                    LEARNING_RATE,
                    EMBEDDING_LEARNING_RATE,
                    BATCH_SIZE,
                    SEED,
                    ENGINE);

    public static ModelSpec defaults() {
        return ModelSpec.defaults(TextClassifierFamily.INSTANCE);
    }

    /** The labels of a text-classifier spec, in slot order. */
    public static List<String> labels(ModelSpec spec) {
        return SLOTS.labels(spec);
    }

    /**
     * The spec with {@code label} given the next free slot.
     *
     * @throws IllegalArgumentException if the label is empty or contains ',', or all slots are
     *     taken
     */
    public static ModelSpec withLabel(ModelSpec spec, String label) {
        return SLOTS.withLabel(spec, label);
    }
}
