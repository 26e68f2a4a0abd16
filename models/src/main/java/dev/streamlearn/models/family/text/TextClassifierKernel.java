package dev.streamlearn.models.family.text;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ParameterLayout;

/**
 * The forward pass of {@code text-classifier} on plain {@code float[]} weights: average of the
 * token embeddings, a linear layer, softmax over all {@code maxLabels} slots (what DL4J's {@code
 * output()} returns).
 *
 * <p>Because the head is linear in the average, {@code logit_c = b_c + (1/n) Σ_t P[id_t, c]} with
 * {@code P = E · W} (vocabulary × slots). The kernel computes the rows of P it meets once per set
 * of weights and then only adds K numbers per token, instead of D, from a table that fits in cache.
 * The same identity makes explanations exact: token t contributes {@code P[id_t, c] / n} to the
 * logit of c, and these contributions sum with the bias to the logit. Not thread-safe (lazily
 * filled table): use one per thread.
 *
 * <p>The table pays only when many texts are scored with one set of weights, as in the scorer. Once
 * its owner changes the weights in place ({@link #refresh()}, a learner after each mini-batch) a
 * row would serve a handful of texts before the next change, so from then on a text is scored from
 * its average embedding instead, {@code logit_c = b_c + Σ_d h_d W[d, c]}: D numbers per token and D
 * × K per text, where the table costs D × K per distinct token.
 */
public final class TextClassifierKernel {
    private final int dim;
    private final int slots;
    private final int stride;
    private final float[] params;
    private final int embOff;
    private final int wOff;
    private final int bOff;
    private final int vocab;
    private final float[] bias;
    private final double[] hidden;
    private float[] projected; // allocated on first use
    // Row id holds a projection of the current weights iff projectedIn[id] == generation; bumping
    // the generation forgets every row at once.
    private final int[] projectedIn;
    private int generation = 1;
    private boolean changing;

    /** A kernel over all {@code maxLabels} slots, exactly as DL4J computes them. */
    public TextClassifierKernel(ModelWeights weights) {
        this(weights, weights.spec().get(TextClassifierSpec.MAX_LABELS));
    }

    /**
     * A kernel over the first {@code activeSlots} slots only: the ones that hold a label. Scoring
     * needs no more, and the projected table shrinks to fit the CPU cache (measured 2-4x faster
     * with 2 of 8 slots in use).
     */
    public TextClassifierKernel(ModelWeights weights, int activeSlots) {
        int maxLabels = weights.spec().get(TextClassifierSpec.MAX_LABELS);
        if (activeSlots < 1 || activeSlots > maxLabels) {
            throw new IllegalArgumentException(
                    "active slots must be in [1, " + maxLabels + "], got " + activeSlots);
        }
        this.dim = weights.spec().get(TextClassifierSpec.EMBEDDING_SIZE);
        this.slots = activeSlots;
        this.stride = maxLabels;
        this.vocab = weights.spec().get(TextClassifierSpec.VOCAB_SIZE);
        this.params = weights.params();
        ParameterLayout layout = ParameterLayout.of(weights.spec());
        embOff = layout.block("0_W").offset();
        wOff = layout.block("2_W").offset();
        bOff = layout.block("2_b").offset();
        bias = java.util.Arrays.copyOfRange(params, bOff, bOff + slots);
        hidden = new double[dim];
        projectedIn = new int[vocab];
    }

    /**
     * Forgets everything computed from the weights' array, which its owner has changed in place:
     * the next calls see the new values. Costs K floats, not a new table.
     */
    public void refresh() {
        changing = true;
        System.arraycopy(params, bOff, bias, 0, slots);
        if (++generation == 0) { // wrapped: no row may look current by accident
            java.util.Arrays.fill(projectedIn, 0);
            generation = 1;
        }
    }

    /** The slots this kernel computes (the first ones). */
    public int slots() {
        return slots;
    }

    /** Logits of every slot for token ids (at least one, each in {@code [0, vocabSize)}). */
    public float[] logits(int[] ids) {
        double[] sum = changing ? embeddedSum(ids) : projectedSum(ids);
        float[] logits = new float[slots];
        double n = ids.length;
        for (int c = 0; c < slots; c++) {
            logits[c] = (float) (bias[c] + sum[c] / n);
        }
        return logits;
    }

    /** Softmax over all slots, as DL4J's output layer computes it. */
    public float[] probabilities(int[] ids) {
        return softmax(logits(ids), slots);
    }

    /** The bias of a slot: the part of its logit no token explains. */
    public float bias(int slot) {
        return bias[slot];
    }

    /**
     * Exact contribution of one occurrence of token {@code id} to the logit of {@code slot}, in a
     * text of {@code length} tokens.
     */
    public double contribution(int id, int slot, int length) {
        if (changing) {
            int e = embOff + id * dim;
            double dot = 0;
            for (int d = 0; d < dim; d++) {
                dot += (double) params[e + d] * params[wOff + d * stride + slot];
            }
            return (float) dot / (double) length;
        }
        project(id);
        return projected[id * slots + slot] / (double) length;
    }

    /** Exact contribution of each token position to the logit of {@code slot}. */
    public double[] contributions(int[] ids, int slot) {
        double[] out = new double[ids.length];
        for (int t = 0; t < ids.length; t++) {
            out[t] = contribution(ids[t], slot, ids.length);
        }
        return out;
    }

    private double[] projectedSum(int[] ids) {
        double[] sum = new double[slots];
        for (int id : ids) {
            project(id);
            int row = id * slots;
            for (int c = 0; c < slots; c++) {
                sum[c] += projected[row + c];
            }
        }
        return sum;
    }

    /** {@code Σ_t P[id_t, c]} as {@code n Σ_d h_d W[d, c]}, without the table. */
    private double[] embeddedSum(int[] ids) {
        java.util.Arrays.fill(hidden, 0);
        for (int id : ids) {
            int e = embOff + id * dim;
            for (int d = 0; d < dim; d++) {
                hidden[d] += params[e + d];
            }
        }
        double[] sum = new double[slots];
        for (int d = 0; d < dim; d++) {
            double h = hidden[d];
            int w = wOff + d * stride;
            for (int c = 0; c < slots; c++) {
                sum[c] += h * params[w + c];
            }
        }
        return sum;
    }

    private void project(int id) {
        if (projectedIn[id] == generation) {
            return;
        }
        if (projected == null) {
            projected = new float[vocab * slots];
        }
        int e = embOff + id * dim;
        int row = id * slots;
        for (int c = 0; c < slots; c++) {
            double dot = 0;
            for (int d = 0; d < dim; d++) {
                dot += (double) params[e + d] * params[wOff + d * stride + c];
            }
            projected[row + c] = (float) dot;
        }
        projectedIn[id] = generation;
    }

    /** Numerically stable softmax over the first {@code n} logits. */
    static float[] softmax(float[] logits, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        double[] e = new double[n];
        for (int c = 0; c < n; c++) {
            e[c] = Math.exp(logits[c] - max);
            sum += e[c];
        }
        float[] p = new float[n];
        for (int c = 0; c < n; c++) {
            p[c] = (float) (e[c] / sum);
        }
        return p;
    }
}
