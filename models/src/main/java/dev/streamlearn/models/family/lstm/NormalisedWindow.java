package dev.streamlearn.models.family.lstm;

/**
 * The last W points of a series in the window's own scale, ready for the forecaster.
 *
 * @param inputs {@code (x_i - mean) / scale}, oldest first, as the LSTM reads them
 * @param last the window's last raw value: the persistence forecast
 * @param scale the window's scale (standard deviation, floored)
 */
public record NormalisedWindow(float[] inputs, double last, double scale) {

    /** The raw forecast for a model output (predicted change from the last value, in scales). */
    public double denormalise(double predictedChange) {
        return last + scale * predictedChange;
    }

    /** The training target for the observed next value: its change from the last, in scales. */
    public double target(double next) {
        return (next - last) / scale;
    }
}
