package dev.streamlearn.models.family.attention;

import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.Param;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import java.util.List;

/**
 * {@code attention-text-classifier}: hashed tokens → embedding with positions → one Transformer
 * encoder block → mean over positions → softmax ({@link AttentionTextSpec}). An alternative to
 * {@code text-classifier} on the same {@code text-events}: declared in a pipeline file, not in the
 * default pipeline.
 */
public enum AttentionTextFamily implements ModelFamily {
    INSTANCE;

    public static final String ID = "attention-text-classifier";

    /** The parameter blocks of the encoder block (layer 1), in layout order after {@code 1_P}. */
    static final List<String> BLOCK =
            List.of(
                    "1_ln1g", "1_ln1b", "1_Wq", "1_bq", "1_Wk", "1_bk", "1_Wv", "1_bv", "1_Wo",
                    "1_bo", "1_ln2g", "1_ln2b", "1_W1", "1_b1", "1_W2", "1_b2");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Param<?>> params() {
        return AttentionTextSpec.PARAMS;
    }

    /**
     * With D = dModel, F = ffSize, K = maxLabels: layer 0, the token embedding {@code 0_W [V,D]};
     * layer 1, the encoder block: the position embedding {@code 1_P [maxTokens+2, D]}, the first
     * layer norm's gain and bias {@code 1_ln1g, 1_ln1b [1,D]}, the query, key, value and output
     * projections {@code 1_Wq, 1_Wk, 1_Wv, 1_Wo [D,D]} each followed by its bias {@code [1,D]}
     * (heads are consecutive D/H-wide column ranges), the second layer norm's {@code 1_ln2g, 1_ln2b
     * [1,D]}, the feed-forward layers {@code 1_W1 [D,F], 1_b1 [1,F], 1_W2 [F,D], 1_b2 [1,D]}; layer
     * 2, the softmax output {@code 2_W [D,K], 2_b [1,K]}. Matrices map a row vector on their left
     * ({@code x W}), row-major.
     *
     * @throws IllegalArgumentException if dModel is not a multiple of heads
     */
    @Override
    public ParameterLayout layout(ModelSpec spec) {
        AttentionTextSpec.requireHeadsDivideWidth(spec);
        int v = spec.get(AttentionTextSpec.VOCAB_SIZE);
        int d = spec.get(AttentionTextSpec.D_MODEL);
        int f = spec.get(AttentionTextSpec.FF_SIZE);
        int k = spec.get(AttentionTextSpec.MAX_LABELS);
        return ParameterLayout.builder()
                .add("0_W", v, d)
                .add("1_P", AttentionTextSpec.positions(spec), d)
                .add("1_ln1g", 1, d)
                .add("1_ln1b", 1, d)
                .add("1_Wq", d, d)
                .add("1_bq", 1, d)
                .add("1_Wk", d, d)
                .add("1_bk", 1, d)
                .add("1_Wv", d, d)
                .add("1_bv", 1, d)
                .add("1_Wo", d, d)
                .add("1_bo", 1, d)
                .add("1_ln2g", 1, d)
                .add("1_ln2b", 1, d)
                .add("1_W1", d, f)
                .add("1_b1", 1, f)
                .add("1_W2", f, d)
                .add("1_b2", 1, d)
                .add("2_W", d, k)
                .add("2_b", 1, k)
                .build();
    }

    @Override
    public Topic<String, ?> inputTopic() {
        return Topics.TEXT_EVENTS;
    }

    /**
     * Keeps the labels the published model learned, in their slots, and the slots it grew to when
     * they are more than the configured ones (as {@code text-classifier}).
     */
    @Override
    public ModelSpec continuing(ModelSpec configured, ModelSpec published) {
        ModelSpec labelled =
                configured.with(AttentionTextSpec.LABELS, published.get(AttentionTextSpec.LABELS));
        int grown = published.get(AttentionTextSpec.MAX_LABELS);
        return grown > configured.get(AttentionTextSpec.MAX_LABELS)
                ? labelled.with(AttentionTextSpec.MAX_LABELS, grown)
                : labelled;
    }
}
