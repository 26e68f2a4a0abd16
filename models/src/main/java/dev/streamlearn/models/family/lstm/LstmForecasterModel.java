package dev.streamlearn.models.family.lstm;

import dev.streamlearn.models.kernel.ModelWeights;

/**
 * A scoring-ready forecaster: featurizer + kernel of one set of weights. Forecasts the next value
 * of a series from its last W values. Not thread-safe.
 */
public final class LstmForecasterModel {
    private final ModelWeights weights;
    private final SeriesWindows windows;
    private final LstmForecasterKernel kernel;

    public LstmForecasterModel(ModelWeights weights) {
        if (weights.spec().kind() != LstmForecasterFamily.INSTANCE) {
            throw new IllegalArgumentException(
                    "expected lstm-forecaster weights, got " + weights.spec().kind().id());
        }
        this.weights = weights;
        this.windows = new SeriesWindows(weights.spec());
        this.kernel = new LstmForecasterKernel(weights);
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

    /** The forecast of the value after {@code values[from .. from+W)}. */
    public double forecast(double[] values, int from) {
        return forecast(windows.normalise(values, from));
    }

    public double forecast(NormalisedWindow window) {
        return window.denormalise(kernel.forward(window.inputs()));
    }
}
