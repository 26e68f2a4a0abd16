package dev.streamlearn.models.family.lstm;

import dev.streamlearn.models.spec.ModelSpec;

/**
 * Turns the last W raw values of a series into a {@link NormalisedWindow}. Normalising each window
 * by its own mean and standard deviation lets one model serve series of any level and unit; and
 * because the model predicts the change from the last value (see {@link NormalisedWindow#target}),
 * an untrained model, whose output is near 0, starts at the persistence forecast. With seasons
 * ({@code LstmForecasterSpec.SEASONS}, linear part only), the points a season and a season and one
 * before the one forecast are taken from the values before the window, in the window's scale.
 */
public final class SeriesWindows {
    private final int window;
    private final double relativeScaleFloor;
    private final int[] seasons;
    private final float clip;

    public SeriesWindows(ModelSpec spec) {
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.relativeScaleFloor = spec.get(LstmForecasterSpec.RELATIVE_SCALE_FLOOR);
        this.seasons =
                LstmForecasterSpec.hasLinearPart(spec)
                        ? LstmForecasterSpec.seasons(spec)
                        : new int[0];
        this.clip = spec.get(LstmForecasterSpec.TARGET_CLIP).floatValue();
    }

    public int window() {
        return window;
    }

    /**
     * Normalises {@code values[from .. from+W)}; the seasonal inputs come from the values before
     * {@code from} (0 for those the array does not reach back to).
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
        double last = values[from + window - 1];
        return new NormalisedWindow(
                inputs, last, scale, seasonal(values, from + window, last, scale));
    }

    /** Per season s, the values at {@code next - s} and {@code next - s - 1} (see the class). */
    private float[] seasonal(double[] values, int next, double last, double scale) {
        float[] out = new float[2 * seasons.length];
        for (int k = 0; k < seasons.length; k++) {
            out[2 * k] = lagged(values, next - seasons[k], last, scale);
            out[2 * k + 1] = lagged(values, next - seasons[k] - 1, last, scale);
        }
        return out;
    }

    private float lagged(double[] values, int index, double last, double scale) {
        if (index < 0 || !Double.isFinite(values[index])) {
            return 0;
        }
        // Clipped like the targets: a season-old outlier must not swing the forecast further than
        // a target can.
        float change = (float) ((values[index] - last) / scale);
        return Math.max(-clip, Math.min(clip, change));
    }
}
