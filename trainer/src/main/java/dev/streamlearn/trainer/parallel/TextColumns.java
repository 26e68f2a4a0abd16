package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.family.text.LabelGrowth;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves {@code text-classifier} parameters (or anything laid out like them: deltas, Adam's moments)
 * between two label orders. The embedding {@code 0_W [V,D]} does not depend on the labels and is
 * copied as it is; the head's columns ({@code 2_W [D,K]} column c, {@code 2_b[c]}) are matched by
 * key: a label's column by the label's name, the j-th free slot's column to the j-th free slot
 * (free slots are trained too, since the softmax runs over all K). A column with no match is zero
 * in the result, or dropped.
 */
final class TextColumns {
    private TextColumns() {}

    static int vocab(ModelSpec spec) {
        return spec.get(TextClassifierSpec.VOCAB_SIZE);
    }

    static int dim(ModelSpec spec) {
        return spec.get(TextClassifierSpec.EMBEDDING_SIZE);
    }

    static int slots(ModelSpec spec) {
        return spec.get(TextClassifierSpec.MAX_LABELS);
    }

    /** Where the head starts: the length of the embedding. */
    static int headOffset(ModelSpec spec) {
        return vocab(spec) * dim(spec);
    }

    /** For each slot of {@code spec}, its key: its label, or "free j" for the j-th free slot. */
    static List<String> keys(ModelSpec spec) {
        List<String> labels = TextClassifierSpec.labels(spec);
        List<String> keys = new ArrayList<>(labels);
        for (int j = 0; j < slots(spec) - labels.size(); j++) {
            keys.add("\u0000free " + j); // no label holds a NUL
        }
        return keys;
    }

    /**
     * For each slot of {@code from}, the slot of {@code to} with the same key, or -1 when {@code
     * to} has none.
     */
    static int[] slotMap(ModelSpec from, ModelSpec to) {
        Map<String, Integer> target = new HashMap<>();
        List<String> toKeys = keys(to);
        for (int c = 0; c < toKeys.size(); c++) {
            target.put(toKeys.get(c), c);
        }
        List<String> fromKeys = keys(from);
        int[] map = new int[fromKeys.size()];
        for (int c = 0; c < map.length; c++) {
            map[c] = target.getOrDefault(fromKeys.get(c), -1);
        }
        return map;
    }

    /**
     * A head laid out for {@code from} ({@code 2_W} then {@code 2_b}, {@code D·K + K} values),
     * added into the head of {@code into} (laid out for {@code to}, from {@code intoOffset}) times
     * {@code scale}, column by key.
     */
    static void addHead(
            ModelSpec from, float[] head, ModelSpec to, float[] into, int intoOffset, float scale) {
        requireSameEmbedding(from, to);
        int[] map = slotMap(from, to);
        int d = dim(from);
        int kFrom = slots(from);
        int kTo = slots(to);
        for (int c = 0; c < kFrom; c++) {
            int t = map[c];
            if (t < 0) {
                continue;
            }
            for (int i = 0; i < d; i++) {
                into[intoOffset + i * kTo + t] += scale * head[i * kFrom + c];
            }
            into[intoOffset + d * kTo + t] += scale * head[d * kFrom + c];
        }
    }

    /** {@code values} laid out for {@code from}, laid out for {@code to}: see the class comment. */
    static float[] remap(ModelSpec from, float[] values, ModelSpec to) {
        requireSameEmbedding(from, to);
        int embedding = headOffset(from);
        float[] out = new float[headOffset(to) + (dim(to) + 1) * slots(to)];
        System.arraycopy(values, 0, out, 0, embedding);
        float[] head = new float[values.length - embedding];
        System.arraycopy(values, embedding, head, 0, head.length);
        addHead(from, head, to, out, embedding, 1f);
        return out;
    }

    /**
     * {@code weights} with {@code labels} it does not know appended in that order, growing its
     * slots as a learner meeting them would ({@link LabelGrowth}); every existing slot keeps its
     * place and values.
     */
    static ModelWeights withLabels(ModelWeights weights, List<String> labels) {
        ModelWeights w = weights;
        for (String label : labels) {
            int needed = LabelGrowth.slotsFor(w.spec(), label);
            if (needed > slots(w.spec())) {
                w = LabelGrowth.grow(w, needed);
            }
            w = new ModelWeights(TextClassifierSpec.withLabel(w.spec(), label), w.params());
        }
        return w;
    }

    /** {@code weights} grown to at least {@code slots} slots (no label added). */
    static ModelWeights withSlots(ModelWeights weights, int slots) {
        return slots > slots(weights.spec()) ? LabelGrowth.grow(weights, slots) : weights;
    }

    /** The labels of {@code spec} that {@code known} lacks, in {@code spec}'s order. */
    static List<String> labelsMissing(ModelSpec known, ModelSpec spec) {
        List<String> have = TextClassifierSpec.labels(known);
        return TextClassifierSpec.labels(spec).stream().filter(l -> !have.contains(l)).toList();
    }

    private static void requireSameEmbedding(ModelSpec a, ModelSpec b) {
        if (vocab(a) != vocab(b) || dim(a) != dim(b)) {
            throw new IllegalArgumentException(
                    "cannot combine a text-classifier of vocabulary "
                            + vocab(a)
                            + " × "
                            + dim(a)
                            + " with one of "
                            + vocab(b)
                            + " × "
                            + dim(b));
        }
    }
}
