package dev.streamlearn.models.kernel;

import dev.streamlearn.models.spec.LstmForecasterSpec;
import java.util.Arrays;

/**
 * The forward pass of {@code lstm-forecaster} on plain {@code float[]} weights: an LSTM (Hochreiter
 * &amp; Schmidhuber 1997, with a forget gate, Gers et al. 2000, no peepholes, as DL4J's {@code
 * LSTM} layer) over one normalised window, then a linear unit on the last hidden state.
 *
 * <p>The recurrent weights are copied into one array per row so the gate update {@code g += h[k] ·
 * RW[k,:]} indexes both arrays alike, which lets the JIT vectorise it (with a variable row offset
 * into one flat array it does not, measured 4-6x slower). Not thread-safe (scratch arrays): use one
 * per thread.
 */
public final class LstmForecasterKernel {
    private final int hidden;
    private final float[] inputWeights;
    private final float[] bias;
    private final float[][] recurrentRows;
    private final float[] outWeights;
    private final float outBias;
    private final float[] gates;
    private final float[] h;
    private final float[] c;

    public LstmForecasterKernel(ModelWeights weights) {
        this.hidden = weights.spec().get(LstmForecasterSpec.HIDDEN_SIZE);
        float[] p = weights.params();
        ParameterLayout layout = ParameterLayout.of(weights.spec());
        int g4 = 4 * hidden;
        inputWeights =
                Arrays.copyOfRange(
                        p, layout.block("0_W").offset(), layout.block("0_W").offset() + g4);
        bias =
                Arrays.copyOfRange(
                        p, layout.block("0_b").offset(), layout.block("0_b").offset() + g4);
        recurrentRows = new float[hidden][];
        int rw = layout.block("0_RW").offset();
        for (int k = 0; k < hidden; k++) {
            recurrentRows[k] = Arrays.copyOfRange(p, rw + k * g4, rw + (k + 1) * g4);
        }
        outWeights =
                Arrays.copyOfRange(
                        p, layout.block("1_W").offset(), layout.block("1_W").offset() + hidden);
        outBias = p[layout.block("1_b").offset()];
        gates = new float[g4];
        h = new float[hidden];
        c = new float[hidden];
    }

    /** The model's output for one window: the predicted change from the last value, in scales. */
    public float forward(float[] window) {
        final int hs = hidden;
        final int g4 = 4 * hs;
        final float[] g = gates;
        final float[] w = inputWeights;
        final float[] b = bias;
        Arrays.fill(h, 0f);
        Arrays.fill(c, 0f);
        for (float x : window) {
            for (int j = 0; j < g4; j++) {
                g[j] = b[j] + x * w[j];
            }
            for (int k = 0; k < hs; k++) {
                float hk = h[k];
                float[] row = recurrentRows[k];
                for (int j = 0; j < g4; j++) {
                    g[j] += hk * row[j];
                }
            }
            // DL4J's gate blocks along 4H: cell candidate, forget, output, input.
            for (int k = 0; k < hs; k++) {
                float candidate = Activations.tanh(g[k]);
                float forget = Activations.sigmoid(g[hs + k]);
                float output = Activations.sigmoid(g[2 * hs + k]);
                float input = Activations.sigmoid(g[3 * hs + k]);
                c[k] = forget * c[k] + input * candidate;
                h[k] = output * Activations.tanh(c[k]);
            }
        }
        float out = outBias;
        for (int k = 0; k < hs; k++) {
            out += h[k] * outWeights[k];
        }
        return out;
    }
}
