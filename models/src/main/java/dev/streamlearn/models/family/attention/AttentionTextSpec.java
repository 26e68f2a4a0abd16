package dev.streamlearn.models.family.attention;

import static dev.streamlearn.models.spec.ParamValidators.finiteInLeftOpen;
import static dev.streamlearn.models.spec.ParamValidators.inRange;
import static dev.streamlearn.models.spec.ParamValidators.powerOfTwoInRange;

import dev.streamlearn.models.spec.LabelSlots;
import dev.streamlearn.models.spec.LearningParams;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import java.util.List;

/**
 * Hyper-parameters of {@code attention-text-classifier}: hashed tokens (the {@code
 * text-classifier}'s tokenizer and hashing, so the two read the same ids) → token embedding plus a
 * learned position embedding → one Transformer encoder block (Vaswani et al. 2017) with layer
 * normalisation before each sub-layer (pre-LN, Xiong et al. 2020: stable without a warm-up
 * schedule, which an online learner has no place for) → mean over the positions → softmax over
 * {@link #MAX_LABELS} slots. Labels take slots in the order they first appear; when a new label
 * finds every slot taken the model grows ({@link AttentionLabelGrowth}), as the text classifier
 * does.
 *
 * <p>{@link #MAX_TOKENS}: the tokenizer keeps the first {@code maxTokens} words of a text (then,
 * with {@link #EDGE_TOKENS}, the first and last of those as {@code ^word} and {@code word$}). The
 * first, because the start of a text is where a mail's subject and a description's head noun stand,
 * and because self-attention costs maxTokens² per head where the embedding bag costs maxTokens: the
 * default keeps scoring above a thousand texts a second on one core (BENCHMARKS.md, "Attention text
 * classifier").
 */
public final class AttentionTextSpec {
    private AttentionTextSpec() {}

    /** The most output slots a model grows to, as the text classifier's. */
    public static final int MAX_SLOTS = 4096;

    private static final LabelSlots SLOTS = LabelSlots.growing(8, MAX_SLOTS);

    public static final Param<Integer> VOCAB_SIZE =
            Param.intParam(
                    "vocabSize",
                    "Hash buckets of the tokenizer (embedding rows); id 0 is the padding token.",
                    1 << 15,
                    powerOfTwoInRange(2, 1 << 24));
    public static final Param<Integer> D_MODEL =
            Param.intParam(
                    "dModel",
                    "Width of the embeddings and of the encoder block; a multiple of heads.",
                    32,
                    inRange(1, 1024));
    public static final Param<Integer> HEADS =
            Param.intParam("heads", "Attention heads (each dModel/heads wide).", 4, inRange(1, 64));
    public static final Param<Integer> FF_SIZE =
            Param.intParam(
                    "ffSize",
                    "Hidden units of the block's feed-forward layer (ReLU).",
                    64,
                    inRange(1, 4096));
    public static final Param<Integer> MAX_TOKENS =
            Param.intParam(
                    "maxTokens",
                    "Words read per text: all of a shorter text, else the first and the last"
                            + " maxTokens/2 (attention costs their square).",
                    80,
                    inRange(1, 4096));
    public static final Param<Integer> EDGE_TOKENS =
            Param.intParam(
                    "edgeTokens",
                    "1: the first and the last word kept also count as tokens of their own"
                            + " (^word, word$), as in text-classifier; 0: words only.",
                    1,
                    inRange(0, 1));
    public static final Param<Integer> MAX_LABELS = SLOTS.maxLabels();
    public static final Param<String> LABELS = SLOTS.labels();
    public static final Param<Double> LEARNING_RATE =
            LearningParams.learningRate(
                    "Adam step size of the softmax layer (the text classifier's default).", 0.003);

    /**
     * The block learns slower than the head: on one pass over a few thousand texts its weights are
     * what overfits first (BENCHMARKS.md, "Attention text classifier").
     */
    public static final Param<Double> BLOCK_LEARNING_RATE =
            Param.doubleParam(
                    "blockLearningRate",
                    "Adam step size of the encoder block and the position embedding.",
                    0.001,
                    finiteInLeftOpen(0, 1));

    public static final Param<Double> EMBEDDING_LEARNING_RATE =
            Param.doubleParam(
                    "embeddingLearningRate",
                    "Adam step size of the token embedding (its rows learn only from the texts"
                            + " that hold their token).",
                    0.03,
                    finiteInLeftOpen(0, 1));
    public static final Param<Integer> BATCH_SIZE = LearningParams.batchSize();
    public static final Param<Long> SEED = LearningParams.seed();

    /** In declaration order. */
    public static final List<Param<?>> PARAMS =
            List.of(
                    VOCAB_SIZE,
                    D_MODEL,
                    HEADS,
                    FF_SIZE,
                    MAX_TOKENS,
                    EDGE_TOKENS,
                    MAX_LABELS,
                    LABELS,
                    LEARNING_RATE,
                    BLOCK_LEARNING_RATE,
                    EMBEDDING_LEARNING_RATE,
                    BATCH_SIZE,
                    SEED);

    public static ModelSpec defaults() {
        return ModelSpec.defaults(AttentionTextFamily.INSTANCE);
    }

    /**
     * Positions a text may have: {@code maxTokens} words and the two edge tokens (rows of the
     * position embedding).
     */
    public static int positions(ModelSpec spec) {
        return spec.get(MAX_TOKENS) + 2;
    }

    /**
     * @throws IllegalArgumentException if {@code dModel} is not a multiple of {@code heads}
     */
    static void requireHeadsDivideWidth(ModelSpec spec) {
        int d = spec.get(D_MODEL);
        int h = spec.get(HEADS);
        if (d % h != 0) {
            throw new IllegalArgumentException(
                    "dModel "
                            + d
                            + " is not a multiple of heads "
                            + h
                            + ": each head takes dModel/heads of the width");
        }
    }

    /** The labels of a spec, in slot order. */
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

    static void requireValidLabel(String label) {
        LabelSlots.requireValidLabel(label);
    }
}
