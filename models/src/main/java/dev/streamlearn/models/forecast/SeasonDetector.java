package dev.streamlearn.models.forecast;

import java.util.Arrays;

/**
 * Finds the season of a series from its first points by autocorrelation (the classical correlogram
 * reading, e.g. Hyndman and Athanasopoulos, <i>Forecasting: Principles and Practice</i>, section
 * 2.8): the sample autocorrelation of the first differences (differencing removes a trend, which
 * would otherwise make every lag look alike) is computed up to a quarter of the points, so a season
 * shows at least four times. Past the first lag where it falls to 0, the season is the lag of the
 * highest local peak above a threshold, or the shortest lag whose peak comes within {@link
 * #HARMONIC_TOLERANCE} of it (a season's multiples peak as well, a little lower); then, since a
 * smooth cycle's peak is flat and noise can move it by a lag, the lag within 10% of it whose values
 * repeat best (least mean |y_t - y_{t-lag}|, what seasonal naive's error will be). No such peak: no
 * clear season, 1.
 *
 * <p>Fed point by point, it looks after 64, 128, ..., {@link #MAX_POINTS} points and stops at the
 * first clear season, so a short season is known early and a long one (a weekly cycle of
 * half-hours, 336) can still be found; after {@link #MAX_POINTS} points without one it settles on
 * 1.
 */
public final class SeasonDetector {
    /** The most points it looks at: a season can be up to a quarter of this. */
    public static final int MAX_POINTS = 2048;

    /** The first look. */
    public static final int FIRST_LOOK = 64;

    /**
     * The least autocorrelation a season needs. With few points the bound is 4.5 / √n instead (n
     * differences): differenced white noise's sample autocorrelations spread about 1.2 / √n, and
     * tens to hundreds of lags are looked at.
     */
    public static final double MIN_AUTOCORRELATION = 0.3;

    /** A shorter lag whose peak is at least this share of the best one is the season. */
    public static final double HARMONIC_TOLERANCE = 0.9;

    private final double[] first = new double[MAX_POINTS];
    private int seen;
    private Season season = new Season(1, Season.Source.PENDING, 0);

    /** Adds the next point; may decide the season (then later points change nothing). */
    public Season observe(double value) {
        if (season.decided()) {
            return season;
        }
        first[seen++] = value;
        if (seen >= FIRST_LOOK && Integer.bitCount(seen) == 1) {
            int found = detect(Arrays.copyOf(first, seen));
            if (found > 1) {
                season = new Season(found, Season.Source.DETECTED, seen);
            } else if (seen == MAX_POINTS) {
                season = new Season(1, Season.Source.NONE, seen);
            }
        }
        return season;
    }

    public Season season() {
        return season;
    }

    /** A pending detector that has seen {@code points} (fewer than {@link #MAX_POINTS}). */
    static SeasonDetector pendingAfter(double[] points) {
        SeasonDetector detector = new SeasonDetector();
        System.arraycopy(points, 0, detector.first, 0, points.length);
        detector.seen = points.length;
        return detector;
    }

    /** The points seen while pending, oldest first (to bring a new seasonal naive up to date). */
    public double[] pointsSoFar() {
        return Arrays.copyOf(first, seen);
    }

    /**
     * The season of {@code values}, or 1 when none is clear.
     *
     * @param values the series' first points, oldest first
     */
    public static int detect(double[] values) {
        int n = values.length - 1;
        int maxLag = values.length / 4;
        if (maxLag < 2) {
            return 1;
        }
        double[] d = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            d[i] = values[i + 1] - values[i];
            mean += d[i];
        }
        mean /= n;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            d[i] -= mean;
            variance += d[i] * d[i];
        }
        if (!(variance > 0)) {
            return 1;
        }
        double[] acf = new double[maxLag + 2];
        for (int lag = 1; lag <= maxLag + 1; lag++) {
            double s = 0;
            for (int i = lag; i < n; i++) {
                s += d[i] * d[i - lag];
            }
            acf[lag] = s / variance;
        }
        // A peak counts only once the autocorrelation has fallen to 0: before that it is the
        // tail of the short-range correlation (differenced noise dips at lag 1, which puts a
        // spurious peak at lag 2 or 3 on any smooth series).
        int from = 1;
        while (from <= maxLag && acf[from] > 0) {
            from++;
        }
        double threshold = Math.max(MIN_AUTOCORRELATION, 4.5 / Math.sqrt(n));
        double best = threshold;
        for (int lag = Math.max(from, 2); lag <= maxLag; lag++) {
            if (isPeak(acf, lag) && acf[lag] > best) {
                best = acf[lag];
            }
        }
        if (best == threshold) {
            return 1;
        }
        for (int lag = Math.max(from, 2); lag <= maxLag; lag++) {
            if (isPeak(acf, lag) && acf[lag] >= HARMONIC_TOLERANCE * best) {
                return bestRepeating(values, lag);
            }
        }
        throw new AssertionError("the best peak is a peak");
    }

    private static int bestRepeating(double[] values, int peak) {
        int reach = Math.max(1, peak / 10);
        int from = Math.max(2, peak - reach);
        int to = Math.min(values.length / 2, peak + reach);
        int best = peak;
        double bestError = Double.POSITIVE_INFINITY;
        for (int lag = from; lag <= to; lag++) {
            double sum = 0;
            // the same points for every lag, so their errors compare
            for (int t = to; t < values.length; t++) {
                sum += Math.abs(values[t] - values[t - lag]);
            }
            if (sum < bestError) {
                bestError = sum;
                best = lag;
            }
        }
        return best;
    }

    private static boolean isPeak(double[] acf, int lag) {
        return acf[lag] > acf[lag - 1] && acf[lag] >= acf[lag + 1];
    }
}
