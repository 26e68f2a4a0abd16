package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.family.lstm.LinearPart;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;

/**
 * Fits {@code lstm-forecaster}'s linear part ({@link LinearPart}) online by recursive least squares
 * (Haykin, <i>Adaptive Filter Theory</i>, chapter 10), one example at a time, whichever engine
 * learns the LSTM: after n examples its weights are the least-squares fit to their (clipped)
 * targets, regularised towards 0 (persistence) by the prior precision {@code linearPrior}. One
 * model for every series, as the LSTM: its inputs are in each window's own scale.
 *
 * <p>Its state is the weights (bias first, then {@code lin_W}) and the inverse covariance P, both
 * float32 so that a checkpoint holds them exactly; each update runs in double and rounds them back.
 * Only the weights go into a version. Not thread-safe.
 */
final class LinearPartLearner {
    private final int n;
    private final int weightsOffset;
    private final int biasOffset;
    private final float[] theta;
    private final float[] covariance;
    private final double[] x;
    private final double[] px;

    LinearPartLearner(ModelSpec spec) {
        this.n = LstmForecasterSpec.linearInputs(spec) + 1;
        ParameterLayout layout = ParameterLayout.of(spec);
        this.weightsOffset = layout.block(LinearPart.WEIGHTS).offset();
        this.biasOffset = layout.block(LinearPart.BIAS).offset();
        this.theta = new float[n];
        this.covariance = new float[n * n];
        float diagonal = (float) (1 / spec.get(LstmForecasterSpec.LINEAR_PRIOR));
        for (int i = 0; i < n; i++) {
            covariance[i * n + i] = diagonal;
        }
        this.x = new double[n];
        this.px = new double[n];
    }

    /** How many floats {@link #state} holds for {@code spec}. */
    static int stateSize(ModelSpec spec) {
        int n = LstmForecasterSpec.linearInputs(spec) + 1;
        return n + n * n;
    }

    /** Learns that {@code window} was followed by a change of {@code target} window scales. */
    void learn(LinearPart part, NormalisedWindow window, double target) {
        part.inputs(window, x);
        double prediction = 0;
        for (int i = 0; i < n; i++) {
            prediction += theta[i] * x[i];
        }
        double denominator = 1;
        for (int i = 0; i < n; i++) {
            double s = 0;
            int row = i * n;
            for (int j = 0; j < n; j++) {
                s += covariance[row + j] * x[j];
            }
            px[i] = s;
            denominator += x[i] * s;
        }
        double error = target - prediction;
        for (int i = 0; i < n; i++) {
            theta[i] = (float) (theta[i] + px[i] / denominator * error);
        }
        // P <- P - P x x' P / denominator, kept symmetric so rounding cannot make it indefinite.
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                float v = (float) (covariance[i * n + j] - px[i] * px[j] / denominator);
                covariance[i * n + j] = v;
                covariance[j * n + i] = v;
            }
        }
    }

    /** Writes the weights where the layout puts them in {@code params}. */
    void writeInto(float[] params) {
        params[biasOffset] = theta[0];
        System.arraycopy(theta, 1, params, weightsOffset, n - 1);
    }

    /** Takes the weights from {@code params} (a published version to continue from). */
    void readFrom(float[] params) {
        theta[0] = params[biasOffset];
        System.arraycopy(params, weightsOffset, theta, 1, n - 1);
    }

    /** The weights, then P row by row. */
    float[] state() {
        float[] out = new float[n + n * n];
        System.arraycopy(theta, 0, out, 0, n);
        System.arraycopy(covariance, 0, out, n, n * n);
        return out;
    }

    /** Continues from {@code state[from ..]} as {@link #state} wrote it. */
    void restore(float[] state, int from) {
        System.arraycopy(state, from, theta, 0, n);
        System.arraycopy(state, from + n, covariance, 0, n * n);
    }
}
