package dev.streamlearn.models.family.lstm;

import dev.streamlearn.models.metrics.AnomalyScorer;
import dev.streamlearn.models.spec.ModelSpec;

/**
 * The state the pipeline keeps per series: its last W values and its anomaly scale. For each new
 * point it forecasts that point from the W before (with whatever model version is current), scores
 * the error, and keeps the window so the caller can train on (window, point). The scorer and {@code
 * evaluate} both use it, so they compute the same anomaly scores.
 */
public final class SeriesTracker {
    private final double[] history;
    private final int window;
    private final AnomalyScorer anomaly;
    private long seen;

    public SeriesTracker(ModelSpec spec) {
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.history = new double[window];
        this.anomaly =
                new AnomalyScorer(
                        spec.get(LstmForecasterSpec.ANOMALY_HALF_LIFE),
                        spec.get(LstmForecasterSpec.ANOMALY_CLIP));
    }

    /**
     * Scores and then remembers one value.
     *
     * @throws IllegalArgumentException if the value is not finite (it would poison the window)
     */
    public SeriesObservation observe(double value, LstmForecasterModel model) {
        return observe(value, model, Double.NaN);
    }

    /**
     * Scores and then remembers one value, with its forecast already made: what {@link
     * #forecastNext} returned for {@code model} after the previous value, which is exactly what
     * this point's forecast would compute again. The scorer keeps it per series so the LSTM runs
     * once per point, not twice.
     *
     * @param forecastOfValue that forecast, or NaN to make it here (none kept, or made by another
     *     version)
     * @throws IllegalArgumentException if the value is not finite (it would poison the window)
     */
    public SeriesObservation observe(
            double value, LstmForecasterModel model, double forecastOfValue) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "series value is " + value + ", expected a finite number");
        }
        NormalisedWindow w = null;
        double forecast = Double.NaN;
        double score = Double.NaN;
        if (seen >= window) {
            w = model.windows().normalise(ordered(), 0);
            forecast = Double.isNaN(forecastOfValue) ? model.forecast(w) : forecastOfValue;
            score = anomaly.scoreAndUpdate(Math.abs(value - forecast));
        }
        double persistence = seen == 0 ? Double.NaN : history[(int) ((seen - 1) % window)];
        history[(int) (seen % window)] = value;
        seen++;
        return new SeriesObservation(value, w, forecast, persistence, score);
    }

    /** The forecast of the next point, or NaN while fewer than W points were seen. */
    public double forecastNext(LstmForecasterModel model) {
        return seen >= window ? model.forecast(ordered(), 0) : Double.NaN;
    }

    public long seen() {
        return seen;
    }

    /**
     * Everything needed to continue this series elsewhere (the scorer keeps it in a changelogged
     * state store, so a restarted or moved task resumes with the same window and anomaly scale).
     *
     * @param lastValues up to W most recent values, oldest first
     * @param seen how many values this series has had
     * @param anomalyScale the anomaly scorer's error scale
     * @param anomalyCount how many errors entered that scale
     */
    public record State(double[] lastValues, long seen, double anomalyScale, long anomalyCount) {}

    public State state() {
        int kept = (int) Math.min(seen, window);
        double[] ordered = ordered();
        return new State(
                java.util.Arrays.copyOfRange(ordered, window - kept, window),
                seen,
                anomaly.scale(),
                anomaly.count());
    }

    /**
     * A tracker that continues from {@code state}.
     *
     * @throws IllegalArgumentException if the state does not fit the spec's window
     */
    public static SeriesTracker restore(ModelSpec spec, State state) {
        SeriesTracker tracker = new SeriesTracker(spec);
        int kept = state.lastValues().length;
        if (kept != Math.min(state.seen(), tracker.window)) {
            throw new IllegalArgumentException(
                    "series state holds "
                            + kept
                            + " values after "
                            + state.seen()
                            + " seen, expected min(seen, window "
                            + tracker.window
                            + ")");
        }
        // Lay the values out as observe() would have: value i of the series at i % window.
        for (int i = 0; i < kept; i++) {
            long index = state.seen() - kept + i;
            tracker.history[(int) (index % tracker.window)] = state.lastValues()[i];
        }
        tracker.seen = state.seen();
        tracker.anomaly.restore(state.anomalyScale(), state.anomalyCount());
        return tracker;
    }

    /** The window length W this tracker keeps. */
    public int window() {
        return window;
    }

    private double[] ordered() {
        double[] out = new double[window];
        for (int i = 0; i < window; i++) {
            out[i] = history[(int) ((seen + i) % window)];
        }
        return out;
    }
}
