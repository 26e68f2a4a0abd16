package dev.streamlearn.models.family.lstm;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;

/**
 * The linear part of {@code lstm-forecaster} ({@code structure=linear+lstm}): the predicted change
 * to the next point, in window scales, as {@code b + Σ w_i z_i + Σ u_k s_k} over the window's
 * normalised points {@code z} (oldest first) and its seasonal inputs {@code s} ({@link
 * NormalisedWindow#seasonal}). All weights 0 is persistence. It reads the weights' array in place,
 * so a learner's changes to it apply to the next forecast without a refresh.
 */
public final class LinearPart {
    /** The layout block of the weights, {@code [window + 2 × seasons, 1]}. */
    public static final String WEIGHTS = "lin_W";

    /** The layout block of the bias, {@code [1, 1]}. */
    public static final String BIAS = "lin_b";

    private final float[] params;
    private final int weightsOffset;
    private final int biasOffset;
    private final int window;
    private final int seasonal;

    /** The linear part of {@code weights}, or null when its spec has none. */
    public static LinearPart of(ModelWeights weights) {
        ModelSpec spec = weights.spec();
        return LstmForecasterSpec.hasLinearPart(spec) ? new LinearPart(weights) : null;
    }

    private LinearPart(ModelWeights weights) {
        ModelSpec spec = weights.spec();
        ParameterLayout layout = ParameterLayout.of(spec);
        this.params = weights.params();
        this.weightsOffset = layout.block(WEIGHTS).offset();
        this.biasOffset = layout.block(BIAS).offset();
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.seasonal = LstmForecasterSpec.linearInputs(spec) - window;
    }

    /** The predicted change from the window's last point, in the window's scale. */
    public double predict(NormalisedWindow w) {
        double out = params[biasOffset];
        float[] z = w.inputs();
        for (int i = 0; i < window; i++) {
            out += (double) params[weightsOffset + i] * z[i];
        }
        // A window made without the series' longer history has no seasonal inputs: 0, as for a
        // series not yet a season long.
        float[] s = w.seasonal();
        for (int k = 0; k < Math.min(seasonal, s.length); k++) {
            out += (double) params[weightsOffset + window + k] * s[k];
        }
        return out;
    }

    /**
     * The inputs {@link #predict} weighs, with a leading 1 for the bias, into {@code x} (length
     * window + 2 × seasons + 1): what a learner fits the weights to.
     */
    public void inputs(NormalisedWindow w, double[] x) {
        x[0] = 1;
        float[] z = w.inputs();
        for (int i = 0; i < window; i++) {
            x[1 + i] = z[i];
        }
        float[] s = w.seasonal();
        for (int k = 0; k < seasonal; k++) {
            x[1 + window + k] = k < s.length ? s[k] : 0;
        }
    }
}
