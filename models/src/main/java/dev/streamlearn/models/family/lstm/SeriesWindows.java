package dev.streamlearn.models.family.lstm;

import dev.streamlearn.models.spec.ModelSpec;

/**
 * Turns the last W raw values of a series into a {@link NormalisedWindow}. Normalising each window
 * by its own mean and standard deviation lets one model serve series of any level and unit; and
 * because the model predicts the change from the last value (see {@link NormalisedWindow#target}),
 * an untrained model, whose output is near 0, starts at the persistence forecast.
 */
public final class SeriesWindows {
    private final int window;
    private final double relativeScaleFloor;

    public SeriesWindows(ModelSpec spec) {
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.relativeScaleFloor = spec.get(LstmForecasterSpec.RELATIVE_SCALE_FLOOR);
    }

    public int window() {
        return window;
    }

    /**
     * Normalises {@code values[from .. from+W)}.
     *
     * @throws IllegalArgumentException if fewer than W values are given or one is not finite
     */
    public NormalisedWindow normalise(double[] values, int from) {
        if (from < 0 || from + window > values.length) {
            throw new IllegalArgumentException(
                    "a window needs "
                            + window
                            + " values from index "
                            + from
                            + ", got "
                            + values.length);
        }
        double sum = 0;
        for (int i = from; i < from + window; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        "window value "
                                + (i - from)
                                + " is "
                                + values[i]
                                + ", expected a finite number");
            }
            sum += values[i];
        }
        double mean = sum / window;
        double squares = 0;
        for (int i = from; i < from + window; i++) {
            double d = values[i] - mean;
            squares += d * d;
        }
        double scale =
                Math.max(
                        Math.sqrt(squares / window),
                        relativeScaleFloor * Math.max(Math.abs(mean), 1));
        float[] inputs = new float[window];
        for (int i = 0; i < window; i++) {
            inputs[i] = (float) ((values[from + i] - mean) / scale);
        }
        return new NormalisedWindow(inputs, values[from + window - 1], scale);
    }
}
