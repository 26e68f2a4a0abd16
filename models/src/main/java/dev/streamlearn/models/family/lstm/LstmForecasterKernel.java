package dev.streamlearn.models.family.lstm;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Arrays;

/**
 * The forward pass of {@code lstm-forecaster} on plain {@code float[]} weights: an LSTM (Hochreiter
 * &amp; Schmidhuber 1997, with a forget gate, Gers et al. 2000, no peepholes, as DL4J's {@code
 * LSTM} layer) over one normalised window, then a linear unit on the last hidden state.
 *
 * <p>Every loop is written for the JIT's auto-vectoriser (Java 17 has no stable vector API):
 *
 * <ul>
 *   <li>The recurrent weights are copied into one array per row so the gate update {@code g += h[k]
 *       · RW[k,:]} indexes all arrays alike (with a variable row offset into one flat array the JIT
 *       does not vectorise it, measured 4-6x slower), four rows per pass over the gates.
 *   <li>Multiply-adds are {@link Math#fma}: Java never fuses {@code a * b + c} itself, and the
 *       separate multiply and add cost ~30% more in the gate update (~14 → ~10 µs a window; with
 *       the Estrin-scheme tanh of {@link Activations}, 31 → 20-22 µs in all; BENCHMARKS.md). The
 *       JIT makes each one instruction on CPUs with FMA (Intel since Haswell, AMD since 2012,
 *       ARMv8); on older x86 {@code Math.fma} is a slow software path, so this kernel assumes FMA.
 *   <li>All 4H gate activations are one loop: {@code scale · tanh(scale · g) + shift}, with scale 1
 *       and shift 0 on the cell-candidate block (tanh) and 1/2, 1/2 on the three sigmoid gates.
 *   <li>The default spec's hidden size has its own copy of the time step with constant sizes: 40-43
 *       µs per window with sizes read from a field, 31-33 µs with constants (thread CPU time, side
 *       by side in one run; BENCHMARKS.md). Most likely the JIT then runs part of each 32- or
 *       128-element loop as scalar pre- and post-loops, where a tanh costs several times its
 *       vectorised price. Routing both through one method with a constant argument does not work:
 *       the JIT compiles that method on its own before it would inline it.
 * </ul>
 *
 * Not thread-safe (scratch arrays): use one per thread.
 */
public final class LstmForecasterKernel {
    /** The hidden size of the default spec, which runs {@link #stepDefaultSize}. */
    private static final int DEFAULT_HIDDEN = 32;

    private final int hidden;
    private final float[] params;
    private final ParameterLayout layout;
    private final float[] inputWeights;
    private final float[] bias;
    private final float[][] recurrentRows;
    private final float[] outWeights;
    private float outBias;
    private final float[] activationScale;
    private final float[] activationShift;
    private final float[] gates;
    private final float[] h;
    private final float[] c;

    public LstmForecasterKernel(ModelWeights weights) {
        this.hidden = weights.spec().get(LstmForecasterSpec.HIDDEN_SIZE);
        this.params = weights.params();
        this.layout = ParameterLayout.of(weights.spec());
        int g4 = 4 * hidden;
        inputWeights = new float[g4];
        bias = new float[g4];
        recurrentRows = new float[hidden][g4];
        outWeights = new float[hidden];
        refresh();
        // DL4J's gate blocks along 4H: cell candidate (tanh), then forget, output, input (sigmoid).
        activationScale = new float[g4];
        activationShift = new float[g4];
        Arrays.fill(activationScale, 0, hidden, 1f);
        Arrays.fill(activationScale, hidden, g4, 0.5f);
        Arrays.fill(activationShift, hidden, g4, 0.5f);
        gates = new float[g4];
        h = new float[hidden];
        c = new float[hidden];
    }

    /**
     * Reads the weights' array again, which its owner (a plain-Java learner) has changed in place:
     * one copy of the parameters into this kernel's arrays, in the same order (no allocation, no
     * transpose).
     */
    public void refresh() {
        int g4 = 4 * hidden;
        copy(layout.block("0_W").offset(), inputWeights);
        copy(layout.block("0_b").offset(), bias);
        int rw = layout.block("0_RW").offset();
        for (int k = 0; k < hidden; k++) {
            System.arraycopy(params, rw + k * g4, recurrentRows[k], 0, g4);
        }
        copy(layout.block("1_W").offset(), outWeights);
        outBias = params[layout.block("1_b").offset()];
    }

    private void copy(int offset, float[] into) {
        System.arraycopy(params, offset, into, 0, into.length);
    }

    /** The model's output for one window: the predicted change from the last value, in scales. */
    public float forward(float[] window) {
        Arrays.fill(h, 0f);
        Arrays.fill(c, 0f);
        if (hidden == DEFAULT_HIDDEN) {
            for (float x : window) {
                stepDefaultSize(x);
            }
        } else {
            for (float x : window) {
                step(x);
            }
        }
        float out = outBias;
        for (int k = 0; k < hidden; k++) {
            out += h[k] * outWeights[k];
        }
        return out;
    }

    /** One time step for any hidden size. */
    private void step(float x) {
        final int hs = hidden;
        final int g4 = 4 * hs;
        final float[] g = gates;
        for (int j = 0; j < g4; j++) {
            g[j] = Math.fma(x, inputWeights[j], bias[j]);
        }
        int k = 0;
        for (; k + 4 <= hs; k += 4) {
            addFourRows(k, g4);
        }
        for (; k < hs; k++) {
            float hk = h[k];
            float[] row = recurrentRows[k];
            for (int j = 0; j < g4; j++) {
                g[j] = Math.fma(hk, row[j], g[j]);
            }
        }
        activate(g4);
        updateCell(hs);
    }

    /** {@link #step} again, with the sizes as constants (see the class comment for why). */
    private void stepDefaultSize(float x) {
        final int hs = DEFAULT_HIDDEN;
        final int g4 = 4 * DEFAULT_HIDDEN;
        final float[] g = gates;
        for (int j = 0; j < g4; j++) {
            g[j] = Math.fma(x, inputWeights[j], bias[j]);
        }
        for (int k = 0; k < hs; k += 4) {
            addFourRows(k, g4);
        }
        activate(g4);
        updateCell(hs);
    }

    private void addFourRows(int k, int g4) {
        final float[] g = gates;
        float h0 = h[k];
        float h1 = h[k + 1];
        float h2 = h[k + 2];
        float h3 = h[k + 3];
        float[] r0 = recurrentRows[k];
        float[] r1 = recurrentRows[k + 1];
        float[] r2 = recurrentRows[k + 2];
        float[] r3 = recurrentRows[k + 3];
        for (int j = 0; j < g4; j++) {
            float sum = Math.fma(h1, r1[j], Math.fma(h0, r0[j], g[j]));
            g[j] = Math.fma(h3, r3[j], Math.fma(h2, r2[j], sum));
        }
    }

    private void activate(int g4) {
        final float[] g = gates;
        final float[] scale = activationScale;
        final float[] shift = activationShift;
        for (int j = 0; j < g4; j++) {
            g[j] = scale[j] * Activations.tanh(scale[j] * g[j]) + shift[j];
        }
    }

    private void updateCell(int hs) {
        final float[] g = gates;
        for (int j = 0; j < hs; j++) {
            float cell = Math.fma(g[hs + j], c[j], g[3 * hs + j] * g[j]);
            c[j] = cell;
            h[j] = g[2 * hs + j] * Activations.tanh(cell);
        }
    }
}
