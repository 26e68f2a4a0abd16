package dev.streamlearn.models.family.lstm;

/**
 * The last W points of a series in the window's own scale, ready for the forecaster.
 *
 * @param inputs {@code (x_i - mean) / scale}, oldest first, as the LSTM reads them
 * @param last the window's last raw value: the persistence forecast
 * @param scale the window's scale (standard deviation, floored)
 * @param seasonal the linear part's seasonal inputs ({@link SeriesWindows#normalise}): per season
 *     s, the points s and s + 1 before the one forecast, as their change from {@code last} in
 *     scales (clipped); 0 where the series is not that long yet; empty without seasons
 */
public record NormalisedWindow(float[] inputs, double last, double scale, float[] seasonal) {
    private static final float[] NONE = new float[0];

    /** A window without seasonal inputs. */
    public NormalisedWindow(float[] inputs, double last, double scale) {
        this(inputs, last, scale, NONE);
    }

    /** The raw forecast for a model output (predicted change from the last value, in scales). */
    public double denormalise(double predictedChange) {
        return last + scale * predictedChange;
    }

    /** The training target for the observed next value: its change from the last, in scales. */
    public double target(double next) {
        return (next - last) / scale;
    }
}
