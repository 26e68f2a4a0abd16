package dev.streamlearn.models.kernel;

import dev.streamlearn.models.spec.TextClassifierSpec;

/**
 * The forward pass of {@code text-classifier} on plain {@code float[]} weights: average of the
 * token embeddings, a linear layer, softmax over all {@code maxLabels} slots (exactly what DL4J's
 * {@code output()} returns). Because the head is linear in the average, token t adds exactly {@code
 * E[id_t] · W[:,c] / n} to the logit of class c: {@link #contributions} returns these, and they sum
 * with the bias to the logit. Not thread-safe: use one per thread.
 */
public final class TextClassifierKernel {
    private final int dim;
    private final int slots;
    private final float[] params;
    private final int embOff;
    private final int wOff;
    private final int bOff;
    private final float[] pooled;

    public TextClassifierKernel(ModelWeights weights) {
        this.dim = weights.spec().get(TextClassifierSpec.EMBEDDING_SIZE);
        this.slots = weights.spec().get(TextClassifierSpec.MAX_LABELS);
        this.params = weights.params();
        ParameterLayout layout = ParameterLayout.of(weights.spec());
        embOff = layout.block("0_W").offset();
        wOff = layout.block("2_W").offset();
        bOff = layout.block("2_b").offset();
        pooled = new float[dim];
    }

    public int slots() {
        return slots;
    }

    /** Logits of every slot for token ids (at least one). */
    public float[] logits(int[] ids) {
        java.util.Arrays.fill(pooled, 0f);
        for (int id : ids) {
            int row = embOff + id * dim;
            for (int d = 0; d < dim; d++) {
                pooled[d] += params[row + d];
            }
        }
        float inv = ids.length;
        float[] logits = new float[slots];
        System.arraycopy(params, bOff, logits, 0, slots);
        for (int d = 0; d < dim; d++) {
            float v = pooled[d] / inv;
            int row = wOff + d * slots;
            for (int c = 0; c < slots; c++) {
                logits[c] += v * params[row + c];
            }
        }
        return logits;
    }

    /** Softmax over all slots, as DL4J's output layer computes it. */
    public float[] probabilities(int[] ids) {
        return softmax(logits(ids), slots);
    }

    /** The bias of slot c: the part of its logit no token explains. */
    public float bias(int slot) {
        return params[bOff + slot];
    }

    /** Exact contribution of each token position to the logit of {@code slot}. */
    public double[] contributions(int[] ids, int slot) {
        double[] column = new double[dim];
        for (int d = 0; d < dim; d++) {
            column[d] = params[wOff + d * slots + slot];
        }
        double[] out = new double[ids.length];
        for (int t = 0; t < ids.length; t++) {
            int row = embOff + ids[t] * dim;
            double dot = 0;
            for (int d = 0; d < dim; d++) {
                dot += params[row + d] * column[d];
            }
            out[t] = dot / ids.length;
        }
        return out;
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
