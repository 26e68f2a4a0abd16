package dev.streamlearn.models.family.lstm;

import dev.streamlearn.models.kernel.ModelWeights;

/**
 * A scoring-ready forecaster: featurizer + kernel of one set of weights. Forecasts the next value
 * of a series from its last W values (and, with seasons, the points a season before): the linear
 * part's predicted change, when the spec has one ({@link LinearPart}), plus the LSTM's. Not
 * thread-safe.
 */
public final class LstmForecasterModel {
    private final ModelWeights weights;
    private final SeriesWindows windows;
    private final LstmForecasterKernel kernel;
    private final LinearPart linear;

    public LstmForecasterModel(ModelWeights weights) {
        if (weights.spec().kind() != LstmForecasterFamily.INSTANCE) {
            throw new IllegalArgumentException(
                    "expected lstm-forecaster weights, got " + weights.spec().kind().id());
        }
        this.weights = weights;
        this.windows = new SeriesWindows(weights.spec());
        this.kernel = new LstmForecasterKernel(weights);
        this.linear = LinearPart.of(weights);
    }

    /** The linear part, or null when the spec has none. */
    public LinearPart linearPart() {
        return linear;
    }

    public ModelWeights weights() {
        return weights;
    }

    /**
     * Makes the next forecasts use the current values of {@link #weights()}' array, which a learner
     * has changed in place (same spec).
     */
    public void refresh() {
        kernel.refresh();
    }

    public SeriesWindows windows() {
        return windows;
    }

    /**
     * The forecast of the value after {@code values[from .. from+W)}, with seasonal inputs from the
     * values before {@code from}.
     */
    public double forecast(double[] values, int from) {
        return forecast(windows.normalise(values, from));
    }

    public double forecast(NormalisedWindow window) {
        return window.denormalise(predictedChange(window));
    }

    /** The model's output for a window: the predicted change from its last point, in scales. */
    public double predictedChange(NormalisedWindow window) {
        double lstm = kernel.forward(window.inputs());
        return linear == null ? lstm : linear.predict(window) + lstm;
    }
}
