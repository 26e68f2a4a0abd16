package dev.streamlearn.models.forecast;

/**
 * The three forecasts a user would pick instead of a model, kept for one series: persistence (the
 * previous value), seasonal naive (the value one season ago; the season declared, or detected from
 * the series' first points by {@link SeasonDetector}, persistence until then) and an online AR(p)
 * by recursive least squares ({@link OnlineAutoRegression}). Forecast, then observe, point by
 * point: the same test-then-train order as the model.
 */
public final class SeriesBaselines {
    private final OnlineAutoRegression autoRegression;
    private SeasonDetector detector; // null once the season is decided
    private SeasonalNaive seasonalNaive;
    private Season season;
    private double last = Double.NaN;

    /**
     * @param arOrder p of the AR baseline
     * @param arForgetting λ of its recursive least squares
     * @param declaredSeason the season to use, or 0 to detect it
     */
    public SeriesBaselines(int arOrder, double arForgetting, int declaredSeason) {
        this.autoRegression = new OnlineAutoRegression(arOrder, arForgetting);
        if (declaredSeason > 0) {
            this.season = Season.declared(declaredSeason);
            this.detector = null;
        } else if (declaredSeason == 0) {
            this.detector = new SeasonDetector();
            this.season = detector.season();
        } else {
            throw new IllegalArgumentException(
                    "season is " + declaredSeason + ", expected >= 1, or 0 to detect it");
        }
        this.seasonalNaive = new SeasonalNaive(season.length());
    }

    /** The three forecasts of the next value; NaN before the first value. */
    public Forecasts forecastNext() {
        return new Forecasts(last, seasonalNaive.forecastNext(), autoRegression.forecastNext());
    }

    /** Learns from and remembers the next value. */
    public void observe(double value) {
        autoRegression.observe(value);
        seasonalNaive.observe(value);
        last = value;
        if (detector != null) {
            season = detector.observe(value);
            if (season.length() > 1) {
                seasonalNaive = new SeasonalNaive(season.length());
                for (double v : detector.pointsSoFar()) {
                    seasonalNaive.observe(v);
                }
            }
            if (season.decided()) {
                detector = null;
            }
        }
    }

    public Season season() {
        return season;
    }

    public OnlineAutoRegression autoRegression() {
        return autoRegression;
    }

    /** One point's baseline forecasts. */
    public record Forecasts(double persistence, double seasonalNaive, double autoRegression) {}
}
