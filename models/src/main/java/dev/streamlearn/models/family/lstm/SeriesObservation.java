package dev.streamlearn.models.family.lstm;

/**
 * One point of a series, checked against the forecast made from the W points before it.
 *
 * @param value the observed value
 * @param window the W points before it, normalised; {@code null} until the series has W points
 * @param forecast the forecaster's forecast for this point: its expert's with the lowest recent
 *     error on the series ({@link ForecastExperts}); NaN without a window
 * @param persistence the previous value (the persistence forecast); NaN for the first point
 * @param anomalyScore |error of the whole model's forecast| over the series' slowly adapting error
 *     scale; NaN without a window
 * @param modelForecast the whole model's forecast (linear part and LSTM) for this point, whichever
 *     expert forecast it; NaN without a window
 * @param expert the expert of {@code forecast}: {@link ForecastExperts#MODEL}, {@link
 *     ForecastExperts#LINEAR} or {@link ForecastExperts#PERSISTENCE}
 */
public record SeriesObservation(
        double value,
        NormalisedWindow window,
        double forecast,
        double persistence,
        double anomalyScore,
        double modelForecast,
        int expert) {

    public boolean hasForecast() {
        return window != null;
    }

    public double error() {
        return value - forecast;
    }

    public double persistenceError() {
        return value - persistence;
    }

    /** value - {@link #modelForecast()}: the error the anomaly score is of. */
    public double modelError() {
        return value - modelForecast;
    }
}
