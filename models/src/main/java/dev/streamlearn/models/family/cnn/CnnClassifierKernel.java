package dev.streamlearn.models.family.cnn;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Arrays;

/**
 * The plain-Java forward and backward pass of {@code cnn-classifier} over the weights' {@code
 * float[]} in {@link CnnClassifierFamily#layout} order. Scoring, the saliency map and the trainer's
 * fast learner all go through {@link #forward} and {@link #backward}, so the pass that trains is
 * the pass that scores. Arithmetic in float, as DL4J's network runs.
 *
 * <p>Feature maps are kept channel-last ({@code (y·width + x)·channels + c}), the image's own
 * order, so that every inner loop runs over contiguous memory the JIT vectorises: the forward
 * convolution adds, per input value, that value times a row of all filters' weights into all
 * filters' outputs at one position; the backward pass, per output gradient that is not zero (max
 * pooling and ReLU leave most of them zero), adds into a filter's gradient and into the input's
 * gradient over the filter's {@code kernel × channels} row. Those two orders are not DL4J's {@code
 * [filters, channels, kernel, kernel]}, so the kernel keeps the convolutions' weights repacked
 * twice (a small fraction of the parameters: the dense layer dominates); {@link #refresh} repacks
 * them after the array changed in place. The dense and output layers are read from the array
 * directly.
 *
 * <p>Not thread-safe only in that the array may change under it; scratch lives in {@link
 * Activations} and {@link Gradients}, one per thread.
 */
public final class CnnClassifierKernel {
    private final float[] params;
    private final CnnGeometry g;
    private final int[] convWeights;
    private final int[] convBiases;
    private final int denseWeights;
    private final int denseBiases;
    private final int outputWeights;
    private final int outputBiases;

    /** Per convolution: {@code [(ky·k + kx)·C + c][filter]}. */
    private final float[][] forwardWeights;

    /** Per convolution: {@code [filter][(ky·k + kx)·C + c]}. */
    private final float[][] backwardWeights;

    public CnnClassifierKernel(ModelWeights weights) {
        this.params = weights.params();
        this.g = CnnGeometry.of(weights.spec());
        ParameterLayout layout = ParameterLayout.of(weights.spec());
        int n = g.convolutions();
        this.convWeights = new int[n];
        this.convBiases = new int[n];
        this.forwardWeights = new float[n][];
        this.backwardWeights = new float[n][];
        for (int l = 0; l < n; l++) {
            int layer = CnnGeometry.convLayer(l);
            convWeights[l] = layout.block(layer + "_W").offset();
            convBiases[l] = layout.block(layer + "_b").offset();
            forwardWeights[l] = new float[layout.block(layer + "_W").length()];
            backwardWeights[l] = new float[forwardWeights[l].length];
        }
        int dense = g.denseLayer();
        this.denseWeights = layout.block(dense + "_W").offset();
        this.denseBiases = layout.block(dense + "_b").offset();
        this.outputWeights = layout.block((dense + 1) + "_W").offset();
        this.outputBiases = layout.block((dense + 1) + "_b").offset();
        refresh();
    }

    public CnnGeometry geometry() {
        return g;
    }

    /** Output slots ({@code maxLabels}). */
    public int slots() {
        return g.slots();
    }

    /** Repacks the convolutions' weights from the array, after it changed in place. */
    public void refresh() {
        int k = g.kernel();
        for (int l = 0; l < g.convolutions(); l++) {
            int c = g.inChannels()[l];
            int f = g.filters()[l];
            float[] forward = forwardWeights[l];
            float[] backward = backwardWeights[l];
            int w = convWeights[l];
            for (int co = 0; co < f; co++) {
                for (int ci = 0; ci < c; ci++) {
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            float v = params[w + ((co * c + ci) * k + ky) * k + kx];
                            int t = (ky * k + kx) * c + ci;
                            forward[t * f + co] = v;
                            backward[co * k * k * c + t] = v;
                        }
                    }
                }
            }
        }
    }

    /** Scratch for one pass at a time: every layer's activations and their gradients. */
    public Activations newActivations() {
        return new Activations(g);
    }

    /** Gradients of the parameters, summed over the examples {@link #backward} was given. */
    public Gradients newGradients() {
        return new Gradients(this);
    }

    /**
     * The logits of every slot for {@code image} (channel-last, scaled to [0, 1]); {@code a}
     * receives every layer's activations, which {@link #backward} needs. The returned array is
     * {@code a}'s.
     */
    public float[] forward(float[] image, Activations a) {
        float[] in = image;
        for (int l = 0; l < g.convolutions(); l++) {
            convolve(l, in, a.conv[l]);
            pool(l, a.conv[l], a.pooled[l]);
            in = a.pooled[l];
        }
        dense(in, a.dense);
        float[] logits = a.logits;
        int slots = g.slots();
        System.arraycopy(params, outputBiases, logits, 0, slots);
        for (int j = 0; j < g.dense(); j++) {
            float d = a.dense[j];
            if (d == 0) {
                continue;
            }
            int row = outputWeights + j * slots;
            for (int s = 0; s < slots; s++) {
                logits[s] += d * params[row + s];
            }
        }
        return logits;
    }

    private void convolve(int l, float[] in, float[] out) {
        int w = g.inWidth()[l];
        int c = g.inChannels()[l];
        int k = g.kernel();
        int f = g.filters()[l];
        int oh = g.convHeight()[l];
        int ow = g.convWidth()[l];
        int span = k * c;
        float[] weights = forwardWeights[l];
        int bias = convBiases[l];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = (oy * ow + ox) * f;
                System.arraycopy(params, bias, out, o, f);
                for (int ky = 0; ky < k; ky++) {
                    // One filter row's (kx, channel) pairs are contiguous in a channel-last map.
                    int from = ((oy + ky) * w + ox) * c;
                    int rowBase = ky * span * f;
                    for (int t = 0; t < span; t++) {
                        float x = in[from + t];
                        if (x == 0) {
                            continue;
                        }
                        int wr = rowBase + t * f;
                        for (int co = 0; co < f; co++) {
                            out[o + co] += x * weights[wr + co];
                        }
                    }
                }
                for (int co = 0; co < f; co++) {
                    out[o + co] = Math.max(0f, out[o + co]);
                }
            }
        }
    }

    private void pool(int l, float[] in, float[] out) {
        int p = g.pool();
        int f = g.filters()[l];
        int ow = g.convWidth()[l];
        int ph = g.poolHeight()[l];
        int pw = g.poolWidth()[l];
        for (int py = 0; py < ph; py++) {
            for (int px = 0; px < pw; px++) {
                int o = (py * pw + px) * f;
                System.arraycopy(in, ((py * p) * ow + px * p) * f, out, o, f);
                for (int dy = 0; dy < p; dy++) {
                    for (int dx = 0; dx < p; dx++) {
                        int i = ((py * p + dy) * ow + px * p + dx) * f;
                        for (int co = 0; co < f; co++) {
                            out[o + co] = Math.max(out[o + co], in[i + co]);
                        }
                    }
                }
            }
        }
    }

    private void dense(float[] in, float[] out) {
        int last = g.convolutions() - 1;
        int f = g.filters()[last];
        int positions = g.poolHeight()[last] * g.poolWidth()[last];
        int units = g.dense();
        System.arraycopy(params, denseBiases, out, 0, units);
        for (int pos = 0; pos < positions; pos++) {
            for (int ch = 0; ch < f; ch++) {
                float x = in[pos * f + ch];
                if (x == 0) {
                    continue;
                }
                // DL4J flattens channel-first: row channel·positions + position.
                int row = denseWeights + (ch * positions + pos) * units;
                for (int j = 0; j < units; j++) {
                    out[j] += x * params[row + j];
                }
            }
        }
        for (int j = 0; j < units; j++) {
            out[j] = Math.max(0f, out[j]);
        }
    }

    /**
     * Back-propagates {@code logitGradient} (a gradient with respect to the logits) through the
     * pass {@link #forward} left in {@code a} for {@code image}: adds each parameter's gradient to
     * {@code gradients} unless it is null, and returns the gradient with respect to the image
     * (channel-last, {@code a}'s array) if {@code inputGradient}, else null.
     */
    public float[] backward(
            float[] image,
            Activations a,
            float[] logitGradient,
            Gradients gradients,
            boolean inputGradient) {
        int slots = g.slots();
        int units = g.dense();
        float[] gv = gradients == null ? null : gradients.values;
        if (gv != null) {
            for (int s = 0; s < slots; s++) {
                gv[outputBiases + s] += logitGradient[s];
            }
        }
        for (int j = 0; j < units; j++) {
            float d = a.dense[j];
            if (d == 0) {
                a.denseGradient[j] = 0;
                continue;
            }
            int row = outputWeights + j * slots;
            if (gv != null) {
                for (int s = 0; s < slots; s++) {
                    gv[row + s] += d * logitGradient[s];
                }
            }
            a.denseGradient[j] = dot(params, row, logitGradient, 0, slots);
        }
        denseBackward(a, gv);
        int n = g.convolutions();
        for (int l = n - 1; l >= 0; l--) {
            unpool(l, a);
            float[] in = l == 0 ? image : a.pooled[l - 1];
            float[] inGradient = l > 0 ? a.pooledGradient[l - 1] : inputGradient ? a.input : null;
            convolveBackward(l, in, a.convGradient[l], inGradient, gradients);
        }
        return inputGradient ? a.input : null;
    }

    private void denseBackward(Activations a, float[] gv) {
        int last = g.convolutions() - 1;
        int f = g.filters()[last];
        int positions = g.poolHeight()[last] * g.poolWidth()[last];
        int units = g.dense();
        float[] in = a.pooled[last];
        float[] inGradient = a.pooledGradient[last];
        float[] dd = a.denseGradient;
        if (gv != null) {
            for (int j = 0; j < units; j++) {
                gv[denseBiases + j] += dd[j];
            }
        }
        for (int pos = 0; pos < positions; pos++) {
            for (int ch = 0; ch < f; ch++) {
                int i = pos * f + ch;
                float x = in[i];
                // A pooled 0 is a window of ReLU zeros: no gradient passes below it.
                if (x == 0) {
                    inGradient[i] = 0;
                    continue;
                }
                int row = denseWeights + (ch * positions + pos) * units;
                if (gv != null) {
                    for (int j = 0; j < units; j++) {
                        gv[row + j] += x * dd[j];
                    }
                }
                inGradient[i] = dot(params, row, dd, 0, units);
            }
        }
    }

    /**
     * Routes each pooled value's gradient to the first position of its window that holds the
     * maximum, times ReLU's derivative (0 where the maximum is 0).
     */
    private void unpool(int l, Activations a) {
        int p = g.pool();
        int f = g.filters()[l];
        int ow = g.convWidth()[l];
        int ph = g.poolHeight()[l];
        int pw = g.poolWidth()[l];
        float[] conv = a.conv[l];
        float[] pooled = a.pooled[l];
        float[] pooledGradient = a.pooledGradient[l];
        float[] convGradient = a.convGradient[l];
        Arrays.fill(convGradient, 0);
        for (int py = 0; py < ph; py++) {
            for (int px = 0; px < pw; px++) {
                int o = (py * pw + px) * f;
                for (int co = 0; co < f; co++) {
                    float max = pooled[o + co];
                    float d = pooledGradient[o + co];
                    if (max <= 0 || d == 0) {
                        continue;
                    }
                    found:
                    for (int dy = 0; dy < p; dy++) {
                        for (int dx = 0; dx < p; dx++) {
                            int i = ((py * p + dy) * ow + px * p + dx) * f + co;
                            if (conv[i] == max) {
                                convGradient[i] = d;
                                break found;
                            }
                        }
                    }
                }
            }
        }
    }

    private void convolveBackward(
            int l, float[] in, float[] outGradient, float[] inGradient, Gradients gradients) {
        int w = g.inWidth()[l];
        int c = g.inChannels()[l];
        int k = g.kernel();
        int f = g.filters()[l];
        int oh = g.convHeight()[l];
        int ow = g.convWidth()[l];
        int span = k * c;
        int filterSize = k * span;
        float[] weights = backwardWeights[l];
        float[] gv = gradients == null ? null : gradients.values;
        float[] packed = gradients == null ? null : gradients.packed[l];
        int bias = convBiases[l];
        if (inGradient != null) {
            Arrays.fill(inGradient, 0);
        }
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int o = (oy * ow + ox) * f;
                for (int co = 0; co < f; co++) {
                    float d = outGradient[o + co];
                    if (d == 0) {
                        continue;
                    }
                    if (gv != null) {
                        gv[bias + co] += d;
                    }
                    for (int ky = 0; ky < k; ky++) {
                        int from = ((oy + ky) * w + ox) * c;
                        int wr = co * filterSize + ky * span;
                        if (packed != null) {
                            for (int t = 0; t < span; t++) {
                                packed[wr + t] += d * in[from + t];
                            }
                        }
                        if (inGradient != null) {
                            for (int t = 0; t < span; t++) {
                                inGradient[from + t] += d * weights[wr + t];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A dot product over four running sums, so consecutive multiply-adds do not wait on each other.
     */
    private static float dot(float[] a, int aFrom, float[] b, int bFrom, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[aFrom + i] * b[bFrom + i];
            s1 += a[aFrom + i + 1] * b[bFrom + i + 1];
            s2 += a[aFrom + i + 2] * b[bFrom + i + 2];
            s3 += a[aFrom + i + 3] * b[bFrom + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aFrom + i] * b[bFrom + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Softmax of the first {@code n} logits, in double. */
    public static double[] softmax(float[] logits, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, logits[c]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int c = 0; c < n; c++) {
            p[c] = Math.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < n; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /** One pass's activations and their gradients, all channel-last. */
    public static final class Activations {
        final float[][] conv;
        final float[][] pooled;
        final float[][] convGradient;
        final float[][] pooledGradient;
        final float[] dense;
        final float[] denseGradient;
        final float[] logits;
        final float[] input;

        private Activations(CnnGeometry g) {
            int n = g.convolutions();
            conv = new float[n][];
            pooled = new float[n][];
            convGradient = new float[n][];
            pooledGradient = new float[n][];
            for (int l = 0; l < n; l++) {
                conv[l] = new float[g.convHeight()[l] * g.convWidth()[l] * g.filters()[l]];
                convGradient[l] = new float[conv[l].length];
                pooled[l] = new float[g.poolHeight()[l] * g.poolWidth()[l] * g.filters()[l]];
                pooledGradient[l] = new float[pooled[l].length];
            }
            dense = new float[g.dense()];
            denseGradient = new float[g.dense()];
            logits = new float[g.slots()];
            input = new float[g.pixels()];
        }
    }

    /**
     * Parameter gradients summed over examples. The convolutions' are summed in the kernel's
     * packing and put in layout order by {@link #values()}.
     */
    public static final class Gradients {
        private final CnnClassifierKernel kernel;
        final float[] values;
        final float[][] packed;

        private Gradients(CnnClassifierKernel kernel) {
            this.kernel = kernel;
            this.values = new float[kernel.params.length];
            this.packed = new float[kernel.forwardWeights.length][];
            for (int l = 0; l < packed.length; l++) {
                packed[l] = new float[kernel.forwardWeights[l].length];
            }
        }

        /** Back to zero, for the next mini-batch. */
        public void clear() {
            Arrays.fill(values, 0);
            for (float[] p : packed) {
                Arrays.fill(p, 0);
            }
        }

        /** The sums so far in layout order; the array is this object's. */
        public float[] values() {
            CnnGeometry g = kernel.g;
            int k = g.kernel();
            for (int l = 0; l < packed.length; l++) {
                int c = g.inChannels()[l];
                int w = kernel.convWeights[l];
                float[] p = packed[l];
                for (int co = 0; co < g.filters()[l]; co++) {
                    for (int ci = 0; ci < c; ci++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                values[w + ((co * c + ci) * k + ky) * k + kx] =
                                        p[co * k * k * c + (ky * k + kx) * c + ci];
                            }
                        }
                    }
                }
            }
            return values;
        }
    }
}
