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
    /** Saved-state format of {@link #save}. */
    private static final double FORMAT = 1;

    /**
     * Everything needed to continue these baselines elsewhere, as one array (the trainer keeps it
     * per series in checkpointed state): format, last value, season (length, source, decided
     * after), the seasonal naive's slots and count, the pending detector's points (or none), then
     * the AR model ({@code OnlineAutoRegression.saveTo}). Its length is bounded by the AR order,
     * the season and {@link SeasonDetector#MAX_POINTS}.
     */
    public double[] save() {
        double[] slots = seasonalNaive.slots();
        double[] pending = detector == null ? new double[0] : detector.pointsSoFar();
        int order = autoRegression.order();
        double[] out =
                new double
                        [8 + slots.length + pending.length + OnlineAutoRegression.savedSize(order)];
        int i = 0;
        out[i++] = FORMAT;
        out[i++] = last;
        out[i++] = season.length();
        out[i++] = season.source().ordinal();
        out[i++] = season.decidedAfter();
        out[i++] = seasonalNaive.seen();
        out[i++] = detector == null ? -1 : pending.length;
        out[i++] = order;
        System.arraycopy(slots, 0, out, i, slots.length);
        i += slots.length;
        System.arraycopy(pending, 0, out, i, pending.length);
        i += pending.length;
        autoRegression.saveTo(out, i);
        return out;
    }

    /**
     * Baselines continuing from what {@link #save} wrote.
     *
     * @throws IllegalArgumentException if the array is not such a state
     */
    public static SeriesBaselines restore(double[] saved) {
        if (saved.length < 8 || saved[0] != FORMAT) {
            throw new IllegalArgumentException(
                    "series baselines state of "
                            + saved.length
                            + " values, format "
                            + (saved.length > 0 ? saved[0] : Double.NaN)
                            + ", expected format "
                            + FORMAT);
        }
        int seasonLength = (int) saved[2];
        Season season =
                new Season(seasonLength, Season.Source.values()[(int) saved[3]], (long) saved[4]);
        int pending = (int) saved[6];
        int order = (int) saved[7];
        int i = 8;
        SeasonalNaive naive =
                SeasonalNaive.restore(
                        java.util.Arrays.copyOfRange(saved, i, i + seasonLength), (long) saved[5]);
        i += seasonLength;
        SeasonDetector detector = null;
        if (pending >= 0) {
            detector =
                    SeasonDetector.pendingAfter(
                            java.util.Arrays.copyOfRange(saved, i, i + pending));
            i += pending;
        }
        return new SeriesBaselines(
                OnlineAutoRegression.restoreFrom(order, saved, i),
                detector,
                naive,
                season,
                saved[1]);
    }

    private SeriesBaselines(
            OnlineAutoRegression autoRegression,
            SeasonDetector detector,
            SeasonalNaive seasonalNaive,
            Season season,
            double last) {
        this.autoRegression = autoRegression;
        this.detector = detector;
        this.seasonalNaive = seasonalNaive;
        this.season = season;
        this.last = last;
    }

    public record Forecasts(double persistence, double seasonalNaive, double autoRegression) {}
}
