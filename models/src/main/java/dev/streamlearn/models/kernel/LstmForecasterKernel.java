package dev.streamlearn.models.kernel;

import dev.streamlearn.models.spec.LstmForecasterSpec;

/**
 * The forward pass of {@code lstm-forecaster} on plain {@code float[]} weights: an LSTM (Hochreiter
 * &amp; Schmidhuber 1997, with a forget gate, Gers et al. 2000, no peepholes, as DL4J's {@code
 * LSTM} layer) over one normalised window, then a linear unit on the last hidden state.
 *
 * <p>Gate pre-activations are computed as row updates ({@code g += h[k] * RW[k,:]}), which the JIT
 * vectorises. Not thread-safe (it reuses scratch arrays): use one per thread.
 */
public final class LstmForecasterKernel {
    private final int hidden;
    private final float[] params;
    private final int wOff;
    private final int rwOff;
    private final int bOff;
    private final int outWOff;
    private final int outBOff;
    private final float[] gates;
    private final float[] h;
    private final float[] c;

    public LstmForecasterKernel(ModelWeights weights) {
        this.hidden = weights.spec().get(LstmForecasterSpec.HIDDEN_SIZE);
        this.params = weights.params();
        ParameterLayout layout = ParameterLayout.of(weights.spec());
        wOff = layout.block("0_W").offset();
        rwOff = layout.block("0_RW").offset();
        bOff = layout.block("0_b").offset();
        outWOff = layout.block("1_W").offset();
        outBOff = layout.block("1_b").offset();
        gates = new float[4 * hidden];
        h = new float[hidden];
        c = new float[hidden];
    }

    /** The model's output for one window: the predicted change from the last value, in scales. */
    public float forward(float[] window) {
        final int hs = hidden;
        final int g4 = 4 * hs;
        final float[] p = params;
        java.util.Arrays.fill(h, 0f);
        java.util.Arrays.fill(c, 0f);
        for (float x : window) {
            System.arraycopy(p, bOff, gates, 0, g4);
            for (int j = 0; j < g4; j++) {
                gates[j] += x * p[wOff + j];
            }
            for (int k = 0; k < hs; k++) {
                float hk = h[k];
                int row = rwOff + k * g4;
                for (int j = 0; j < g4; j++) {
                    gates[j] += hk * p[row + j];
                }
            }
            // DL4J's gate blocks along 4H: cell candidate, forget, output, input.
            for (int k = 0; k < hs; k++) {
                float candidate = Activations.tanh(gates[k]);
                float forget = Activations.sigmoid(gates[hs + k]);
                float output = Activations.sigmoid(gates[2 * hs + k]);
                float input = Activations.sigmoid(gates[3 * hs + k]);
                c[k] = forget * c[k] + input * candidate;
                h[k] = output * Activations.tanh(c[k]);
            }
        }
        float out = p[outBOff];
        for (int k = 0; k < hs; k++) {
            out += h[k] * p[outWOff + k];
        }
        return out;
    }
}
