package dev.streamlearn.models.family.lstm;

import java.util.Arrays;

/**
 * Which of the forecaster's experts forecasts a series: the whole model (linear part and LSTM), its
 * linear part alone, or persistence (the previous value), whichever has had the lowest recent mean
 * absolute error on that series: "follow the leader" over fading losses (Cesa-Bianchi and Lugosi,
 * <i>Prediction, Learning, and Games</i>, 2006, chapter 3), kept per series by {@link
 * SeriesTracker}. Every expert is fitted to squared error while the forecasts are judged by
 * absolute error; on quantised readings, where a third of the steps are 0, the previous value is
 * often the median forecast and wins stretches that the model wins back on trends and runs, so the
 * per-series choice beats each expert alone (BENCHMARKS.md, "Forecasts that beat online AR").
 *
 * <p>Recent means fade with a half-life of {@link #HALF_LIFE} points, running means at first; with
 * no error seen yet, or on ties, the whole model forecasts, as it did before experts existed. An
 * expert without a forecast (the linear part of a model that has none) is passed over and its mean
 * left as it was.
 */
public final class ForecastExperts {
    /** The whole model: linear part and LSTM. */
    public static final int MODEL = 0;

    /** The model's linear part alone. */
    public static final int LINEAR = 1;

    /** The previous value. */
    public static final int PERSISTENCE = 2;

    static final int COUNT = 3;

    private static final String[] NAMES = {"model", "linear", "persistence"};

    /**
     * Points after which an old error weighs half. Measured over 10-50 (BENCHMARKS.md): shorter
     * follows the sensors' stretches more closely (their MAE falls) and swaps more often where the
     * whole model is steadily better (CO2's rises); 20 is the shortest that keeps CO2 where the
     * whole model alone has it.
     */
    public static final int HALF_LIFE = 20;

    private static final double LAMBDA = 1 - Math.pow(0.5, 1.0 / HALF_LIFE);

    private final double[] mae = new double[COUNT];
    private long count;

    ForecastExperts() {}

    /**
     * What a series keeps between points.
     *
     * @param mae each expert's recent mean absolute error, in the order of {@link #MODEL}, {@link
     *     #LINEAR}, {@link #PERSISTENCE}
     * @param count how many points' errors entered them
     */
    public record State(double[] mae, long count) {
        /** No error seen yet. */
        public static State fresh() {
            return new State(new double[COUNT], 0);
        }
    }

    /** The expert's name in scores ({@code SeriesScore.forecastBy}): model, linear, persistence. */
    public static String name(int expert) {
        return NAMES[expert];
    }

    static ForecastExperts restore(State state) {
        if (state.mae().length != COUNT || state.count() < 0) {
            throw new IllegalArgumentException(
                    "expert state holds "
                            + state.mae().length
                            + " errors after "
                            + state.count()
                            + " points, expected "
                            + COUNT
                            + " and a count >= 0");
        }
        for (double m : state.mae()) {
            if (!(m >= 0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException(
                        "expert state holds a mean absolute error of "
                                + m
                                + ", expected a finite number >= 0");
            }
        }
        ForecastExperts experts = new ForecastExperts();
        System.arraycopy(state.mae(), 0, experts.mae, 0, COUNT);
        experts.count = state.count();
        return experts;
    }

    State state() {
        return new State(mae.clone(), count);
    }

    /**
     * The expert with the lowest recent error among those with a forecast ({@code forecasts}, NaN
     * for none); {@link #MODEL} before any error.
     */
    int best(double[] forecasts) {
        int best = MODEL;
        if (count == 0) {
            return best;
        }
        for (int i = 0; i < COUNT; i++) {
            if (!Double.isNaN(forecasts[i]) && mae[i] < mae[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Takes in one point: each expert's forecast of it (NaN for none) and its value. */
    void update(double[] forecasts, double value) {
        count++;
        double rate = Math.max(1.0 / count, LAMBDA);
        for (int i = 0; i < COUNT; i++) {
            if (!Double.isNaN(forecasts[i])) {
                mae[i] += rate * (Math.abs(value - forecasts[i]) - mae[i]);
            }
        }
    }

    @Override
    public String toString() {
        return "ForecastExperts" + Arrays.toString(mae) + " after " + count;
    }
}
