package dev.streamlearn.models.forecast;

/**
 * The seasonal naive forecast of one series: the value one season ago (Hyndman and Athanasopoulos,
 * <i>Forecasting: Principles and Practice</i>, section 5.2). A season of 1 is persistence. While
 * the series is shorter than a season it forecasts the previous value, so it has a forecast
 * wherever persistence has one.
 */
public final class SeasonalNaive {
    private final int season;
    private final double[] history;
    private long seen;

    /**
     * @throws IllegalArgumentException if {@code season < 1}
     */
    public SeasonalNaive(int season) {
        if (season < 1) {
            throw new IllegalArgumentException("season is " + season + ", expected >= 1");
        }
        this.season = season;
        this.history = new double[season];
    }

    /** The forecast of the next value; NaN before the first value. */
    public double forecastNext() {
        if (seen == 0) {
            return Double.NaN;
        }
        // Value i lives at i % season, so the slot of the next value still holds the one a
        // season before it.
        return seen < season
                ? history[(int) ((seen - 1) % season)]
                : history[(int) (seen % season)];
    }

    /** Remembers the next value of the series. */
    public void observe(double value) {
        history[(int) (seen % season)] = value;
        seen++;
    }

    public int season() {
        return season;
    }

    /** The values it holds, in slot order, and how many it has seen (for saving). */
    double[] slots() {
        return history.clone();
    }

    long seen() {
        return seen;
    }

    static SeasonalNaive restore(double[] slots, long seen) {
        SeasonalNaive naive = new SeasonalNaive(slots.length);
        System.arraycopy(slots, 0, naive.history, 0, slots.length);
        naive.seen = seen;
        return naive;
    }
}
