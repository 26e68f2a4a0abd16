package dev.streamlearn.models.family.attention;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Growing an {@code attention-text-classifier} when a label never seen finds every slot taken, by
 * the {@code text-classifier}'s rule ({@code LabelGrowth}): twice the slots, up to {@link
 * AttentionTextSpec#MAX_SLOTS}; every parameter before the head and the head's learned columns and
 * biases copied exactly (each learned label's logit is the same number for every text); new columns
 * Gaussian with the root mean square of the learned ones, new biases the lowest learned bias.
 * Optimizer state laid out like the parameters grows with {@link #carry} (new entries zero).
 */
public final class AttentionLabelGrowth {
    private AttentionLabelGrowth() {}

    /**
     * The slots a model of {@code spec} needs to take {@code label}.
     *
     * @throws IllegalArgumentException for a malformed label or a model already at {@link
     *     AttentionTextSpec#MAX_SLOTS} labels
     */
    public static int slotsFor(ModelSpec spec, String label) {
        AttentionTextSpec.requireValidLabel(label);
        List<String> labels = AttentionTextSpec.labels(spec);
        int slots = spec.get(AttentionTextSpec.MAX_LABELS);
        if (labels.contains(label) || labels.size() < slots) {
            return slots;
        }
        if (slots >= AttentionTextSpec.MAX_SLOTS) {
            throw new IllegalArgumentException(
                    "label '"
                            + label
                            + "' does not fit: the model has "
                            + labels.size()
                            + " labels, the most an attention-text-classifier learns ("
                            + AttentionTextSpec.MAX_SLOTS
                            + ")");
        }
        return Math.min(2 * slots, AttentionTextSpec.MAX_SLOTS);
    }

    /** {@code weights} as a model of {@code slots} slots (see the class comment). */
    public static ModelWeights grow(ModelWeights weights, int slots) {
        ModelSpec from = weights.spec();
        int old = from.get(AttentionTextSpec.MAX_LABELS);
        float[] grown = carry(from, weights.params(), slots);
        ModelSpec to = from.with(AttentionTextSpec.MAX_LABELS, slots);
        ParameterLayout before = ParameterLayout.of(from);
        ParameterLayout after = ParameterLayout.of(to);
        int oldW = before.block("2_W").offset();
        int oldB = before.block("2_b").offset();
        int newW = after.block("2_W").offset();
        int newB = after.block("2_b").offset();
        int d = from.get(AttentionTextSpec.D_MODEL);
        float lowest = Float.POSITIVE_INFINITY;
        for (int c = 0; c < old; c++) {
            lowest = Math.min(lowest, weights.params()[oldB + c]);
        }
        double squares = 0;
        for (int i = 0; i < d * old; i++) {
            squares += (double) weights.params()[oldW + i] * weights.params()[oldW + i];
        }
        double rms = Math.sqrt(squares / (d * old));
        SplittableRandom random = new SplittableRandom(from.get(AttentionTextSpec.SEED) ^ slots);
        for (int r = 0; r < d; r++) {
            for (int c = old; c < slots; c++) {
                grown[newW + r * slots + c] = (float) (random.nextGaussian() * rms);
            }
        }
        for (int c = old; c < slots; c++) {
            grown[newB + c] = lowest;
        }
        return new ModelWeights(to, grown);
    }

    /**
     * An array laid out like the parameters of {@code from}, laid out for {@code slots} slots:
     * every entry before the head copied, the head's learned columns and biases in their slots, new
     * entries zero.
     */
    public static float[] carry(ModelSpec from, float[] values, int slots) {
        int old = from.get(AttentionTextSpec.MAX_LABELS);
        if (slots < old || slots > AttentionTextSpec.MAX_SLOTS) {
            throw new IllegalArgumentException(
                    "cannot grow "
                            + old
                            + " slots to "
                            + slots
                            + " (at most "
                            + AttentionTextSpec.MAX_SLOTS
                            + ")");
        }
        ModelSpec to = from.with(AttentionTextSpec.MAX_LABELS, slots);
        float[] grown = new float[ParameterLayout.of(to).size()];
        ParameterLayout before = ParameterLayout.of(from);
        int head = before.block("2_W").offset();
        System.arraycopy(values, 0, grown, 0, head);
        int d = from.get(AttentionTextSpec.D_MODEL);
        for (int r = 0; r < d; r++) {
            System.arraycopy(values, head + r * old, grown, head + r * slots, old);
        }
        System.arraycopy(values, before.block("2_b").offset(), grown, head + d * slots, old);
        return grown;
    }
}
