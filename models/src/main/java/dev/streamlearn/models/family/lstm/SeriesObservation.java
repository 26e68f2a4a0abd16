package dev.streamlearn.models.family.lstm;

/**
 * One point of a series, checked against the forecast made from the W points before it.
 *
 * @param value the observed value
 * @param window the W points before it, normalised; {@code null} until the series has W points
 * @param forecast the model's forecast for this point; NaN without a window
 * @param persistence the previous value (the persistence forecast); NaN for the first point
 * @param anomalyScore |error of the forecast scored| over the series' slowly adapting error scale;
 *     NaN without a window
 * @param byPersistence whether the point is scored with persistence's forecast instead of the
 *     model's (the scorer's fallback, {@code models.forecast.PersistenceFallback}); false without a
 *     window
 */
public record SeriesObservation(
        double value,
        NormalisedWindow window,
        double forecast,
        double persistence,
        double anomalyScore,
        boolean byPersistence) {

    public boolean hasForecast() {
        return window != null;
    }

    public double error() {
        return value - forecast;
    }

    public double persistenceError() {
        return value - persistence;
    }

    /** The forecast the point is scored with: persistence's or the model's. */
    public double scoredForecast() {
        return byPersistence ? persistence : forecast;
    }

    /** value - {@link #scoredForecast()}. */
    public double scoredError() {
        return value - scoredForecast();
    }
}
