package dev.streamlearn.models.family.text;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.LabelSlots;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What growing a {@code text-classifier} means, for every engine and the scorer alike: when a label
 * never seen finds every output slot taken, the model becomes one of twice the slots ({@code
 * maxLabels}, up to {@link TextClassifierSpec#MAX_SLOTS}) whose learned weights are the old ones,
 * exactly:
 *
 * <ul>
 *   <li>the embedding {@code 0_W} is unchanged, row for row;
 *   <li>the head's existing columns of {@code 2_W} and entries of {@code 2_b} are copied into the
 *       same slots, so every existing label's logit is the same number for every text before and
 *       after (a logit reads only its own column and bias);
 *   <li>the new columns of {@code 2_W} are drawn at random (Gaussian, seeded by the spec's seed and
 *       the new size) with the root mean square of the learned columns, and the new biases are the
 *       lowest learned bias: a new label starts level with the rarest learned one, with a column as
 *       large as a learned one in a direction of its own, rather than above labels it has yet to
 *       earn a place beside.
 * </ul>
 *
 * <p>Chosen by measurement on the Debian packages stream (58 labels, default spec), against zero
 * columns (fastText's initialisation of its output matrix), columns of Xavier's initial scale, and
 * other new biases; BENCHMARKS.md "Labels that grow" has the figures.
 *
 * <p>Doubling keeps the number of growths logarithmic (8 slots reach 1,024 in 7), each costing one
 * copy of the weights and optimizer state. Optimizer state laid out like the parameters grows with
 * {@link #carry}: learned entries kept, new ones zero (a fresh Adam moment).
 */
public final class LabelGrowth {
    private LabelGrowth() {}

    /**
     * The slots a model of {@code spec} needs to take {@code label}: its own when the label is
     * known or a slot is free, else twice as many, at most {@link TextClassifierSpec#MAX_SLOTS}.
     *
     * @throws IllegalArgumentException if the label is empty or contains ',', or the model already
     *     has {@link TextClassifierSpec#MAX_SLOTS} labels
     */
    public static int slotsFor(ModelSpec spec, String label) {
        LabelSlots.requireValidLabel(label);
        List<String> labels = TextClassifierSpec.labels(spec);
        int slots = spec.get(TextClassifierSpec.MAX_LABELS);
        if (labels.contains(label) || labels.size() < slots) {
            return slots;
        }
        if (slots >= TextClassifierSpec.MAX_SLOTS) {
            throw new IllegalArgumentException(
                    "label '"
                            + label
                            + "' does not fit: the model has "
                            + labels.size()
                            + " labels, the most a text-classifier learns ("
                            + TextClassifierSpec.MAX_SLOTS
                            + "); map rarer labels to a shared one before they reach it");
        }
        return Math.min(2 * slots, TextClassifierSpec.MAX_SLOTS);
    }

    /**
     * {@code weights} as a model of {@code slots} output slots: the same spec with {@code maxLabels
     * = slots} and the parameters described above.
     *
     * @throws IllegalArgumentException if {@code slots} is fewer than the model has, or above
     *     {@link TextClassifierSpec#MAX_SLOTS}
     */
    public static ModelWeights grow(ModelWeights weights, int slots) {
        ModelSpec from = weights.spec();
        float[] grown = carry(from, weights.params(), slots);
        int old = from.get(TextClassifierSpec.MAX_LABELS);
        if (slots > old) {
            ParameterLayout before = ParameterLayout.of(from);
            int oldBias = before.block("2_b").offset();
            float lowest = Float.POSITIVE_INFINITY;
            for (int c = 0; c < old; c++) {
                lowest = Math.min(lowest, weights.params()[oldBias + c]);
            }
            int bias = grown.length - slots;
            for (int c = old; c < slots; c++) {
                grown[bias + c] = lowest;
            }
            randomColumns(from, weights.params(), grown, slots);
        }
        return new ModelWeights(grownSpec(from, slots), grown);
    }

    /**
     * Values laid out like the parameters of a model of {@code from} (the parameters themselves, or
     * an optimizer's moments), laid out for {@code slots} slots: every value of the old layout in
     * its place, zero in the new slots.
     *
     * @throws IllegalArgumentException if {@code values} does not fit {@code from}, {@code slots}
     *     is fewer than {@code from} has, or above {@link TextClassifierSpec#MAX_SLOTS}
     */
    public static float[] carry(ModelSpec from, float[] values, int slots) {
        ParameterLayout before = ParameterLayout.of(from);
        if (values.length != before.size()) {
            throw new IllegalArgumentException(
                    values.length + " values do not fit " + from + " (" + before.size() + ")");
        }
        ParameterLayout after = ParameterLayout.of(grownSpec(from, slots));
        int old = from.get(TextClassifierSpec.MAX_LABELS);
        int dim = from.get(TextClassifierSpec.EMBEDDING_SIZE);
        float[] grown = new float[after.size()];
        int embedding = before.block("0_W").length();
        System.arraycopy(values, 0, grown, 0, embedding);
        int oldHead = before.block("2_W").offset();
        int newHead = after.block("2_W").offset();
        for (int d = 0; d < dim; d++) {
            System.arraycopy(values, oldHead + d * old, grown, newHead + d * slots, old);
        }
        System.arraycopy(
                values, before.block("2_b").offset(), grown, after.block("2_b").offset(), old);
        return grown;
    }

    /**
     * Fills the new columns of the head with Gaussian values of the learned columns' root mean
     * square, from a generator seeded by the spec's seed and the new size (so growing is a function
     * of the weights alone).
     */
    private static void randomColumns(ModelSpec from, float[] learned, float[] grown, int slots) {
        int old = from.get(TextClassifierSpec.MAX_LABELS);
        int dim = from.get(TextClassifierSpec.EMBEDDING_SIZE);
        int oldHead = ParameterLayout.of(from).block("2_W").offset();
        double squares = 0;
        for (int i = oldHead; i < oldHead + dim * old; i++) {
            squares += (double) learned[i] * learned[i];
        }
        double spread = Math.sqrt(squares / (dim * old));
        int head = ParameterLayout.of(grownSpec(from, slots)).block("2_W").offset();
        SplittableRandom random =
                new SplittableRandom(from.get(TextClassifierSpec.SEED) * 31 + slots);
        for (int d = 0; d < dim; d++) {
            for (int c = old; c < slots; c++) {
                grown[head + d * slots + c] = (float) (spread * random.nextGaussian());
            }
        }
    }

    private static ModelSpec grownSpec(ModelSpec from, int slots) {
        int old = from.get(TextClassifierSpec.MAX_LABELS);
        if (slots < old) {
            throw new IllegalArgumentException(
                    "a model of " + old + " slots cannot shrink to " + slots);
        }
        return from.with(TextClassifierSpec.MAX_LABELS, slots);
    }
}
