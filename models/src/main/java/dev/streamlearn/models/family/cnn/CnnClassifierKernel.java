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
 * <p>Written for the JIT's auto-vectorisation, which (in Java 17) turns a loop into SIMD
 * instructions only when the arrays in it are indexed by the loop variable itself, without an
 * offset: so every inner loop runs over whole row arrays from 0. Feature maps are arrays of rows,
 * one per pixel position, holding its channels; the forward convolution adds, per input value, that
 * value times a row of all filters' weights into the position's row of all filters' outputs; the
 * dense layer adds a row of its weights per input value. The backward pass copies each output
 * position's receptive field into one row (im2col, a position at a time) and, per output gradient
 * that is not zero (max pooling and ReLU leave most of them zero), adds into that filter's gradient
 * row and into the field's gradient row. So the kernel keeps its weights as rows, the convolutions'
 * repacked to {@code [(ky·k + kx)·C + c][filter]} and {@code [filter][(ky·k + kx)·C + c]}; {@link
 * #refresh} copies them from the array after it changed in place. Only the convolution outputs max
 * pooling reads are computed (pooling floors: an 11×11 map pools to 5×5 from its first 10×10).
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
    private final float[][][] forwardWeights;

    /** Per convolution: {@code [filter][(ky·k + kx)·C + c]}. */
    private final float[][][] backwardWeights;

    /** The dense layer's {@code [input][unit]}, inputs in DL4J's channel-first order. */
    private final float[][] denseRows;

    /** The output layer's {@code [unit][slot]}. */
    private final float[][] outputRows;

    public CnnClassifierKernel(ModelWeights weights) {
        this.params = weights.params();
        this.g = CnnGeometry.of(weights.spec());
        ParameterLayout layout = ParameterLayout.of(weights.spec());
        int n = g.convolutions();
        int k = g.kernel();
        this.convWeights = new int[n];
        this.convBiases = new int[n];
        this.forwardWeights = new float[n][][];
        this.backwardWeights = new float[n][][];
        for (int l = 0; l < n; l++) {
            int layer = CnnGeometry.convLayer(l);
            convWeights[l] = layout.block(layer + "_W").offset();
            convBiases[l] = layout.block(layer + "_b").offset();
            int field = k * k * g.inChannels()[l];
            forwardWeights[l] = new float[field][g.filters()[l]];
            backwardWeights[l] = new float[g.filters()[l]][field];
        }
        int dense = g.denseLayer();
        this.denseWeights = layout.block(dense + "_W").offset();
        this.denseBiases = layout.block(dense + "_b").offset();
        this.outputWeights = layout.block((dense + 1) + "_W").offset();
        this.outputBiases = layout.block((dense + 1) + "_b").offset();
        this.denseRows = new float[g.flat()][g.dense()];
        this.outputRows = new float[g.dense()][g.slots()];
        refresh();
    }

    public CnnGeometry geometry() {
        return g;
    }

    /** Output slots ({@code maxLabels}). */
    public int slots() {
        return g.slots();
    }

    /** Copies the weights from the array into the kernel's rows, after it changed in place. */
    public void refresh() {
        int k = g.kernel();
        for (int l = 0; l < g.convolutions(); l++) {
            int c = g.inChannels()[l];
            float[][] forward = forwardWeights[l];
            float[][] backward = backwardWeights[l];
            int w = convWeights[l];
            for (int co = 0; co < g.filters()[l]; co++) {
                for (int ci = 0; ci < c; ci++) {
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            float v = params[w + ((co * c + ci) * k + ky) * k + kx];
                            int t = (ky * k + kx) * c + ci;
                            forward[t][co] = v;
                            backward[co][t] = v;
                        }
                    }
                }
            }
        }
        for (int i = 0; i < denseRows.length; i++) {
            System.arraycopy(params, denseWeights + i * g.dense(), denseRows[i], 0, g.dense());
        }
        for (int j = 0; j < outputRows.length; j++) {
            System.arraycopy(params, outputWeights + j * g.slots(), outputRows[j], 0, g.slots());
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
        int c = g.channels();
        for (int pos = 0; pos < a.input.length; pos++) {
            System.arraycopy(image, pos * c, a.input[pos], 0, c);
        }
        float[][] in = a.input;
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
            float[] w = outputRows[j];
            for (int s = 0; s < slots; s++) {
                logits[s] += d * w[s];
            }
        }
        return logits;
    }

    private void convolve(int l, float[][] in, float[][] out) {
        int w = g.inWidth()[l];
        int c = g.inChannels()[l];
        int k = g.kernel();
        int f = g.filters()[l];
        int ow = g.convWidth()[l];
        int usedHeight = g.poolHeight()[l] * g.pool();
        int usedWidth = g.poolWidth()[l] * g.pool();
        float[][] weights = forwardWeights[l];
        int bias = convBiases[l];
        for (int oy = 0; oy < usedHeight; oy++) {
            for (int ox = 0; ox < usedWidth; ox++) {
                float[] acc = out[oy * ow + ox];
                System.arraycopy(params, bias, acc, 0, f);
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        float[] pixel = in[(oy + ky) * w + ox + kx];
                        int t = (ky * k + kx) * c;
                        for (int ci = 0; ci < c; ci++) {
                            float x = pixel[ci];
                            if (x == 0) {
                                continue;
                            }
                            float[] row = weights[t + ci];
                            for (int co = 0; co < f; co++) {
                                acc[co] += x * row[co];
                            }
                        }
                    }
                }
                for (int co = 0; co < f; co++) {
                    acc[co] = Math.max(0f, acc[co]);
                }
            }
        }
    }

    private void pool(int l, float[][] in, float[][] out) {
        int p = g.pool();
        int f = g.filters()[l];
        int ow = g.convWidth()[l];
        int ph = g.poolHeight()[l];
        int pw = g.poolWidth()[l];
        for (int py = 0; py < ph; py++) {
            for (int px = 0; px < pw; px++) {
                float[] o = out[py * pw + px];
                System.arraycopy(in[(py * p) * ow + px * p], 0, o, 0, f);
                for (int dy = 0; dy < p; dy++) {
                    for (int dx = 0; dx < p; dx++) {
                        float[] i = in[(py * p + dy) * ow + px * p + dx];
                        for (int co = 0; co < f; co++) {
                            o[co] = Math.max(o[co], i[co]);
                        }
                    }
                }
            }
        }
    }

    private void dense(float[][] in, float[] out) {
        int last = g.convolutions() - 1;
        int f = g.filters()[last];
        int positions = in.length;
        int units = g.dense();
        System.arraycopy(params, denseBiases, out, 0, units);
        for (int pos = 0; pos < positions; pos++) {
            float[] pixel = in[pos];
            for (int ch = 0; ch < f; ch++) {
                float x = pixel[ch];
                if (x == 0) {
                    continue;
                }
                // DL4J flattens channel-first: row channel·positions + position.
                float[] row = denseRows[ch * positions + pos];
                for (int j = 0; j < units; j++) {
                    out[j] += x * row[j];
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
            if (gv != null) {
                int row = outputWeights + j * slots;
                for (int s = 0; s < slots; s++) {
                    gv[row + s] += d * logitGradient[s];
                }
            }
            a.denseGradient[j] = dot(outputRows[j], logitGradient, slots);
        }
        denseBackward(a, gradients);
        for (int l = g.convolutions() - 1; l >= 0; l--) {
            unpool(l, a);
            float[][] in = l == 0 ? a.input : a.pooled[l - 1];
            float[][] inGradient =
                    l > 0 ? a.pooledGradient[l - 1] : inputGradient ? a.inputGradient : null;
            convolveBackward(l, in, a, inGradient, gradients);
        }
        if (!inputGradient) {
            return null;
        }
        int c = g.channels();
        for (int pos = 0; pos < a.inputGradient.length; pos++) {
            System.arraycopy(a.inputGradient[pos], 0, a.imageGradient, pos * c, c);
        }
        return a.imageGradient;
    }

    private void denseBackward(Activations a, Gradients gradients) {
        int last = g.convolutions() - 1;
        int f = g.filters()[last];
        float[][] in = a.pooled[last];
        int positions = in.length;
        int units = g.dense();
        float[][] inGradient = a.pooledGradient[last];
        float[] dd = a.denseGradient;
        if (gradients != null) {
            for (int j = 0; j < units; j++) {
                gradients.values[denseBiases + j] += dd[j];
            }
        }
        for (int pos = 0; pos < positions; pos++) {
            float[] pixel = in[pos];
            float[] pixelGradient = inGradient[pos];
            for (int ch = 0; ch < f; ch++) {
                float x = pixel[ch];
                // A pooled 0 is a window of ReLU zeros: no gradient passes below it.
                if (x == 0) {
                    pixelGradient[ch] = 0;
                    continue;
                }
                int row = ch * positions + pos;
                if (gradients != null) {
                    float[] gr = gradients.dense[row];
                    for (int j = 0; j < units; j++) {
                        gr[j] += x * dd[j];
                    }
                }
                pixelGradient[ch] = dot(denseRows[row], dd, units);
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
        float[][] conv = a.conv[l];
        float[][] pooled = a.pooled[l];
        float[][] pooledGradient = a.pooledGradient[l];
        float[][] convGradient = a.convGradient[l];
        for (float[] row : convGradient) {
            Arrays.fill(row, 0);
        }
        for (int py = 0; py < ph; py++) {
            for (int px = 0; px < pw; px++) {
                float[] max = pooled[py * pw + px];
                float[] d = pooledGradient[py * pw + px];
                for (int co = 0; co < f; co++) {
                    if (max[co] <= 0 || d[co] == 0) {
                        continue;
                    }
                    found:
                    for (int dy = 0; dy < p; dy++) {
                        for (int dx = 0; dx < p; dx++) {
                            int i = (py * p + dy) * ow + px * p + dx;
                            if (conv[i][co] == max[co]) {
                                convGradient[i][co] = d[co];
                                break found;
                            }
                        }
                    }
                }
            }
        }
    }

    private void convolveBackward(
            int l, float[][] in, Activations a, float[][] inGradient, Gradients gradients) {
        int w = g.inWidth()[l];
        int c = g.inChannels()[l];
        int k = g.kernel();
        int f = g.filters()[l];
        int ow = g.convWidth()[l];
        int usedHeight = g.poolHeight()[l] * g.pool();
        int usedWidth = g.poolWidth()[l] * g.pool();
        int field = k * k * c;
        float[][] weights = backwardWeights[l];
        float[][] filterGradients = gradients == null ? null : gradients.conv[l];
        float[] gv = gradients == null ? null : gradients.values;
        float[] patch = a.patch[l];
        float[] patchGradient = a.patchGradient[l];
        int bias = convBiases[l];
        if (inGradient != null) {
            for (float[] row : inGradient) {
                Arrays.fill(row, 0);
            }
        }
        float[][] outGradient = a.convGradient[l];
        for (int oy = 0; oy < usedHeight; oy++) {
            for (int ox = 0; ox < usedWidth; ox++) {
                float[] dOut = outGradient[oy * ow + ox];
                boolean any = false;
                for (int co = 0; co < f && !any; co++) {
                    any = dOut[co] != 0;
                }
                if (!any) {
                    continue;
                }
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        System.arraycopy(
                                in[(oy + ky) * w + ox + kx], 0, patch, (ky * k + kx) * c, c);
                    }
                }
                if (inGradient != null) {
                    Arrays.fill(patchGradient, 0);
                }
                for (int co = 0; co < f; co++) {
                    float d = dOut[co];
                    if (d == 0) {
                        continue;
                    }
                    if (gv != null) {
                        gv[bias + co] += d;
                        float[] gr = filterGradients[co];
                        for (int t = 0; t < field; t++) {
                            gr[t] += d * patch[t];
                        }
                    }
                    if (inGradient != null) {
                        float[] wr = weights[co];
                        for (int t = 0; t < field; t++) {
                            patchGradient[t] += d * wr[t];
                        }
                    }
                }
                if (inGradient != null) {
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            float[] dst = inGradient[(oy + ky) * w + ox + kx];
                            int t = (ky * k + kx) * c;
                            for (int ci = 0; ci < c; ci++) {
                                dst[ci] += patchGradient[t + ci];
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
    private static float dot(float[] a, float[] b, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
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

    /** One pass's activations and their gradients: maps as one row of channels per position. */
    public static final class Activations {
        final float[][] input;
        final float[][] inputGradient;
        final float[] imageGradient;
        final float[][][] conv;
        final float[][][] pooled;
        final float[][][] convGradient;
        final float[][][] pooledGradient;
        final float[][] patch;
        final float[][] patchGradient;
        final float[] dense;
        final float[] denseGradient;
        final float[] logits;

        private Activations(CnnGeometry g) {
            int n = g.convolutions();
            input = new float[g.width() * g.height()][g.channels()];
            inputGradient = new float[input.length][g.channels()];
            imageGradient = new float[g.pixels()];
            conv = new float[n][][];
            pooled = new float[n][][];
            convGradient = new float[n][][];
            pooledGradient = new float[n][][];
            patch = new float[n][];
            patchGradient = new float[n][];
            for (int l = 0; l < n; l++) {
                int f = g.filters()[l];
                conv[l] = new float[g.convHeight()[l] * g.convWidth()[l]][f];
                convGradient[l] = new float[conv[l].length][f];
                pooled[l] = new float[g.poolHeight()[l] * g.poolWidth()[l]][f];
                pooledGradient[l] = new float[pooled[l].length][f];
                patch[l] = new float[g.kernel() * g.kernel() * g.inChannels()[l]];
                patchGradient[l] = new float[patch[l].length];
            }
            dense = new float[g.dense()];
            denseGradient = new float[g.dense()];
            logits = new float[g.slots()];
        }
    }

    /**
     * Parameter gradients summed over examples. The convolutions' and the dense layer's weights are
     * summed as rows and put in layout order by {@link #values()}.
     */
    public static final class Gradients {
        private final CnnClassifierKernel kernel;
        final float[] values;

        /** Per convolution: {@code [filter][(ky·k + kx)·C + c]}. */
        final float[][][] conv;

        final float[][] dense;

        private Gradients(CnnClassifierKernel kernel) {
            this.kernel = kernel;
            this.values = new float[kernel.params.length];
            this.conv = new float[kernel.backwardWeights.length][][];
            for (int l = 0; l < conv.length; l++) {
                float[][] w = kernel.backwardWeights[l];
                conv[l] = new float[w.length][w[0].length];
            }
            this.dense = new float[kernel.denseRows.length][kernel.g.dense()];
        }

        /** Back to zero, for the next mini-batch. */
        public void clear() {
            Arrays.fill(values, 0);
            for (float[][] layer : conv) {
                for (float[] row : layer) {
                    Arrays.fill(row, 0);
                }
            }
            for (float[] row : dense) {
                Arrays.fill(row, 0);
            }
        }

        /** The sums so far in layout order; the array is this object's. */
        public float[] values() {
            CnnGeometry g = kernel.g;
            int k = g.kernel();
            for (int l = 0; l < conv.length; l++) {
                int c = g.inChannels()[l];
                int w = kernel.convWeights[l];
                for (int co = 0; co < g.filters()[l]; co++) {
                    float[] row = conv[l][co];
                    for (int ci = 0; ci < c; ci++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                values[w + ((co * c + ci) * k + ky) * k + kx] =
                                        row[(ky * k + kx) * c + ci];
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < dense.length; i++) {
                System.arraycopy(
                        dense[i], 0, values, kernel.denseWeights + i * g.dense(), g.dense());
            }
            return values;
        }
    }
}
