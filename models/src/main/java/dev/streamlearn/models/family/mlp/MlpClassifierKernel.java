package dev.streamlearn.models.family.mlp;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;

/**
 * The plain-Java forward and backward pass of {@code mlp-classifier}, reading the weights' {@code
 * float[]} in {@link MlpClassifierFamily#layout} order (never copying it: a learner that changes
 * the array in place is scored with what it holds now). Scoring, the explanation and the trainer's
 * fast learner all go through {@link #forward} and {@link #backward}, so the pass that trains is
 * the pass that scores. Arithmetic in double over float weights. Not thread-safe only in that the
 * array may change under it; it holds no scratch of its own.
 */
public final class MlpClassifierKernel {
    private final float[] params;
    private final int[] widths;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final boolean relu;

    public MlpClassifierKernel(ModelWeights weights) {
        ModelSpec spec = weights.spec();
        this.params = weights.params();
        int[] hidden = MlpClassifierSpec.hiddenSizes(spec);
        int layers = hidden.length + 1;
        this.widths = new int[layers + 1];
        widths[0] = spec.get(MlpClassifierSpec.INPUTS);
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[layers] = spec.get(MlpClassifierSpec.MAX_LABELS);
        ParameterLayout layout = ParameterLayout.of(spec);
        this.weightOffsets = new int[layers];
        this.biasOffsets = new int[layers];
        for (int l = 0; l < layers; l++) {
            weightOffsets[l] = layout.block(l + "_W").offset();
            biasOffsets[l] = layout.block(l + "_b").offset();
        }
        this.relu = spec.get(MlpClassifierSpec.ACTIVATION).equals("relu");
    }

    public int inputs() {
        return widths[0];
    }

    /** Output slots ({@code maxLabels}). */
    public int slots() {
        return widths[widths.length - 1];
    }

    /** Scratch for {@link #forward}: one array per hidden layer. */
    public double[][] newHidden() {
        double[][] hidden = new double[widths.length - 2][];
        for (int l = 0; l < hidden.length; l++) {
            hidden[l] = new double[widths[l + 1]];
        }
        return hidden;
    }

    /**
     * The logits of every slot for {@code x}; {@code hidden} ({@link #newHidden}) receives each
     * hidden layer's activations, which {@link #backward} needs.
     */
    public double[] forward(double[] x, double[][] hidden) {
        double[] in = x;
        for (int l = 0; l < widths.length - 1; l++) {
            int nIn = widths[l];
            int nOut = widths[l + 1];
            boolean last = l == widths.length - 2;
            double[] out = last ? new double[nOut] : hidden[l];
            int w = weightOffsets[l];
            int b = biasOffsets[l];
            for (int j = 0; j < nOut; j++) {
                out[j] = params[b + j];
            }
            for (int i = 0; i < nIn; i++) {
                double xi = in[i];
                if (xi == 0) {
                    continue;
                }
                int row = w + i * nOut;
                for (int j = 0; j < nOut; j++) {
                    out[j] += xi * params[row + j];
                }
            }
            if (!last) {
                for (int j = 0; j < nOut; j++) {
                    out[j] = relu ? Math.max(0, out[j]) : Math.tanh(out[j]);
                }
            }
            in = out;
        }
        return in;
    }

    /**
     * Back-propagates {@code outputGradient} (a gradient with respect to the logits) through the
     * layers {@link #forward} left in {@code hidden} for {@code x}: adds each parameter's gradient
     * to {@code gradients} (layout order) unless it is null, and returns the gradient with respect
     * to the input.
     */
    public double[] backward(
            double[] x, double[][] hidden, double[] outputGradient, double[] gradients) {
        double[] delta = outputGradient;
        for (int l = widths.length - 2; l >= 0; l--) {
            int nIn = widths[l];
            int nOut = widths[l + 1];
            double[] in = l == 0 ? x : hidden[l - 1];
            int w = weightOffsets[l];
            if (gradients != null) {
                int b = biasOffsets[l];
                for (int j = 0; j < nOut; j++) {
                    gradients[b + j] += delta[j];
                }
            }
            double[] previous = new double[nIn];
            for (int i = 0; i < nIn; i++) {
                int row = w + i * nOut;
                double sum = 0;
                double xi = in[i];
                for (int j = 0; j < nOut; j++) {
                    sum += params[row + j] * delta[j];
                    if (gradients != null) {
                        gradients[row + j] += xi * delta[j];
                    }
                }
                if (l > 0) {
                    // The derivative of the activation, from its output alone.
                    sum *= relu ? (xi > 0 ? 1 : 0) : 1 - xi * xi;
                }
                previous[i] = sum;
            }
            delta = previous;
        }
        return delta;
    }

    /** Softmax of the first {@code n} logits. */
    public static double[] softmax(double[] logits, int n) {
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
}
