package dev.streamlearn.models.family.lstm;

import dev.streamlearn.models.metrics.AnomalyScorer;
import dev.streamlearn.models.spec.ModelSpec;

/**
 * The state the pipeline keeps per series: its last values (the window W, or the longest season and
 * one more when the spec has seasons: {@link LstmForecasterSpec#history}, at most {@link
 * LstmForecasterSpec#MAX_SEASON} + 1) and its anomaly scale. For each new point it forecasts that
 * point from the W before (with whatever model version is current), scores the error, and keeps the
 * window so the caller can train on (window, point). The scorer and {@code evaluate} both use it,
 * so they compute the same anomaly scores. The forecast of a point is that of the expert with the
 * lowest recent error on the series ({@link ForecastExperts}: the whole model, its linear part, or
 * persistence); the anomaly score is always of the whole model's error.
 */
public final class SeriesTracker {
    private final double[] history;
    private final int window;
    private final AnomalyScorer anomaly;
    private ForecastExperts experts = new ForecastExperts();
    private long seen;
    // How many of the last values are known: min(seen, history length), or fewer after a restore
    // from a state kept under a shorter history.
    private int held;

    public SeriesTracker(ModelSpec spec) {
        this.window = spec.get(LstmForecasterSpec.WINDOW);
        this.history = new double[LstmForecasterSpec.history(spec)];
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
        double persistence = held == 0 ? Double.NaN : history[slot(seen - 1)];
        double modelForecast = Double.NaN;
        int expert = ForecastExperts.MODEL;
        if (held >= window) {
            double[] last = ordered();
            w = model.windows().normalise(last, last.length - window);
            modelForecast = Double.isNaN(forecastOfValue) ? model.forecast(w) : forecastOfValue;
            double[] forecasts = experts(model, w, modelForecast, persistence);
            expert = experts.best(forecasts);
            forecast = forecasts[expert];
            // The anomaly score follows the whole model, not the expert chosen: an expert that
            // follows the series closely (persistence) follows its anomalies too, and flags them
            // less (BENCHMARKS.md, "Forecasts that beat online AR").
            score = anomaly.scoreAndUpdate(Math.abs(value - modelForecast));
            experts.update(forecasts, value);
        }
        history[slot(seen)] = value;
        seen++;
        held = Math.min(held + 1, history.length);
        return new SeriesObservation(value, w, forecast, persistence, score, modelForecast, expert);
    }

    /**
     * The recent mean absolute errors of the forecaster's experts on this series, over the points
     * observed so far, on which the next point's expert is chosen.
     */
    public ForecastExperts.State experts() {
        return experts.state();
    }

    /** Each expert's forecast ({@link ForecastExperts}), NaN for the linear part of none. */
    private static double[] experts(
            LstmForecasterModel model, NormalisedWindow w, double modelForecast, double last) {
        LinearPart linear = model.linearPart();
        return new double[] {
            modelForecast, linear == null ? Double.NaN : w.denormalise(linear.predict(w)), last
        };
    }

    /**
     * The forecast of the next point, by the expert with the lowest recent error on this series
     * ({@link ForecastExperts}); NaN while fewer than W points were seen.
     */
    public double forecastNext(LstmForecasterModel model) {
        return forecastNext(model, Double.NaN);
    }

    /**
     * As {@link #forecastNext(LstmForecasterModel)}, with the whole model's forecast of the next
     * point already made ({@link #modelForecastNext}), or NaN to make it here.
     */
    public double forecastNext(LstmForecasterModel model, double modelForecastNext) {
        if (held < window) {
            return Double.NaN;
        }
        double[] last = ordered();
        NormalisedWindow w = model.windows().normalise(last, last.length - window);
        double full = Double.isNaN(modelForecastNext) ? model.forecast(w) : modelForecastNext;
        double[] forecasts = experts(model, w, full, last[last.length - 1]);
        return forecasts[experts.best(forecasts)];
    }

    /**
     * The whole model's forecast of the next point (linear part and LSTM, whatever expert forecasts
     * it), or NaN while fewer than W points were seen: what the next {@link #observe} scores the
     * anomaly of, and may be given so as not to run the LSTM twice.
     */
    public double modelForecastNext(LstmForecasterModel model) {
        if (held < window) {
            return Double.NaN;
        }
        double[] last = ordered();
        return model.forecast(last, last.length - window);
    }

    public long seen() {
        return seen;
    }

    /**
     * Everything needed to continue this series elsewhere (the scorer keeps it in a changelogged
     * state store, so a restarted or moved task resumes with the same window and anomaly scale).
     *
     * @param lastValues up to {@link LstmForecasterSpec#history} most recent values, oldest first
     * @param seen how many values this series has had
     * @param anomalyScale the anomaly scorer's error scale
     * @param anomalyCount how many errors entered that scale
     * @param experts the recent errors of the forecaster's experts on this series
     */
    public record State(
            double[] lastValues,
            long seen,
            double anomalyScale,
            long anomalyCount,
            ForecastExperts.State experts) {
        /** A state kept before experts existed: they start afresh. */
        public State(double[] lastValues, long seen, double anomalyScale, long anomalyCount) {
            this(lastValues, seen, anomalyScale, anomalyCount, ForecastExperts.State.fresh());
        }
    }

    public State state() {
        return new State(ordered(), seen, anomaly.scale(), anomaly.count(), experts.state());
    }

    /**
     * A tracker that continues from {@code state}.
     *
     * <p>A state kept under a longer history (a version with longer seasons) gives its most recent
     * values; one kept under a shorter history gives what it has, the seasonal inputs it cannot
     * reach being 0 until the series has run a season on.
     *
     * @throws IllegalArgumentException if the state holds fewer than min(seen, window) values or
     *     more than it has seen
     */
    public static SeriesTracker restore(ModelSpec spec, State state) {
        SeriesTracker tracker = new SeriesTracker(spec);
        int given = state.lastValues().length;
        if (given < Math.min(state.seen(), tracker.window) || given > state.seen()) {
            throw new IllegalArgumentException(
                    "series state holds "
                            + given
                            + " values after "
                            + state.seen()
                            + " seen, expected from min(seen, window "
                            + tracker.window
                            + ") to seen");
        }
        int kept = Math.min(given, tracker.history.length);
        // Lay the values out as observe() would have: value i of the series at i % history.
        for (int i = 0; i < kept; i++) {
            long index = state.seen() - kept + i;
            tracker.history[tracker.slot(index)] = state.lastValues()[given - kept + i];
        }
        tracker.seen = state.seen();
        tracker.held = kept;
        tracker.anomaly.restore(state.anomalyScale(), state.anomalyCount());
        tracker.experts = ForecastExperts.restore(state.experts());
        return tracker;
    }

    /** The window length W this tracker keeps. */
    public int window() {
        return window;
    }

    /** The values held, oldest first. */
    private double[] ordered() {
        double[] out = new double[held];
        for (int i = 0; i < held; i++) {
            out[i] = history[slot(seen - held + i)];
        }
        return out;
    }

    private int slot(long index) {
        return (int) (index % history.length);
    }
}
