package dev.streamlearn.models.forecast;

/**
 * An autoregressive model of order p with an intercept, {@code y_t = c + a_1 y_{t-1} + ... + a_p
 * y_{t-p}}, fitted online to one series by recursive least squares with forgetting factor λ
 * (Haykin, <i>Adaptive Filter Theory</i>, chapter 10; Ljung and Söderström 1983). With λ = 1 its
 * coefficients after n points are the least-squares fit to those n points, regularised towards the
 * prior by the initial inverse covariance; with λ < 1 older points weigh λ^age.
 *
 * <p>The prior is persistence ({@code a_1 = 1}, the rest 0), so a fresh model forecasts the
 * previous value, as the forecaster does, until data pulls it away. Until p values are seen it
 * forecasts the previous value.
 *
 * <p>Units: forecasts are in the series' own units. Internally the fit runs on {@code (y - m) / s},
 * with m and s the mean and standard deviation of the first p + 1 values, fixed from then on: with
 * an intercept a fixed affine change of units leaves the least-squares fit the same, and it keeps
 * the recursion well conditioned whatever the series' level and unit; only the weight of the prior
 * ({@link #PRIOR_PRECISION}) is thereby relative to the series' own spread.
 */
public final class OnlineAutoRegression {
    /** λ = 1: every point weighs the same, the fit is the least-squares fit so far. */
    public static final double DEFAULT_FORGETTING = 1.0;

    /**
     * The prior's weight, in squared (standardised) errors: negligible after a few dozen points,
     * large enough that the first updates, with fewer points than coefficients, stay near it.
     */
    public static final double PRIOR_PRECISION = 1e-2;

    private final int order;
    private final double forgetting;
    private final double[] lags; // value i at i % (order + 1)
    // [intercept, a_1 .. a_p] on the standardised values; covariance is P, (p+1) x (p+1)
    private final double[] theta;
    private final double[][] covariance;
    private final double[] x;
    private final double[] px;
    private double mean;
    private double scale;
    private long seen;
    private long updates;

    /**
     * @param order p, the number of past values ({@code >= 1})
     * @param forgetting λ in (0, 1]
     * @throws IllegalArgumentException if either is out of range
     */
    public OnlineAutoRegression(int order, double forgetting) {
        if (order < 1) {
            throw new IllegalArgumentException("AR order is " + order + ", expected >= 1");
        }
        if (!(forgetting > 0 && forgetting <= 1)) {
            throw new IllegalArgumentException(
                    "forgetting factor is " + forgetting + ", expected in (0, 1]");
        }
        this.order = order;
        this.forgetting = forgetting;
        int n = order + 1;
        this.lags = new double[n];
        this.theta = new double[n];
        theta[1] = 1;
        this.covariance = new double[n][n];
        for (int i = 0; i < n; i++) {
            covariance[i][i] = 1 / PRIOR_PRECISION;
        }
        this.x = new double[n];
        this.px = new double[n];
    }

    /** The forecast of the next value; NaN before the first value. */
    public double forecastNext() {
        if (seen == 0) {
            return Double.NaN;
        }
        double last = lags[slot(seen - 1)];
        if (updates == 0) {
            return last;
        }
        regressors(seen);
        return mean + scale * dot(theta, x);
    }

    /** Learns from the next value of the series (once it has p before it), then remembers it. */
    public void observe(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "series value is " + value + ", expected a finite number");
        }
        lags[slot(seen)] = value;
        seen++;
        if (seen <= order) {
            return;
        }
        if (updates == 0) {
            standardiseOn(seen);
        }
        regressors(seen - 1);
        update((value - mean) / scale);
    }

    /** The intercept c, in the series' units. */
    public double intercept() {
        double slopes = 0;
        for (int i = 1; i <= order; i++) {
            slopes += theta[i];
        }
        return mean * (1 - slopes) + scale * theta[0];
    }

    /** a_1 .. a_p (a_1 multiplies the previous value). */
    public double[] coefficients() {
        return java.util.Arrays.copyOfRange(theta, 1, order + 1);
    }

    public int order() {
        return order;
    }

    public double forgetting() {
        return forgetting;
    }

    /** How many (p past values, next value) pairs it has learned from. */
    public long updates() {
        return updates;
    }

    // x = [1, z_{t-1}, ..., z_{t-p}] for the value at index t, from the remembered values.
    private void regressors(long t) {
        x[0] = 1;
        for (int i = 1; i <= order; i++) {
            x[i] = (lags[slot(t - i)] - mean) / scale;
        }
    }

    private void standardiseOn(long count) {
        double sum = 0;
        for (long i = count - order - 1; i < count; i++) {
            sum += lags[slot(i)];
        }
        mean = sum / (order + 1);
        double squares = 0;
        for (long i = count - order - 1; i < count; i++) {
            double d = lags[slot(i)] - mean;
            squares += d * d;
        }
        double sd = Math.sqrt(squares / (order + 1));
        // A flat start has no spread to go by: fall back to the level, then to 1.
        scale = sd > 1e-9 * Math.max(Math.abs(mean), 1) ? sd : Math.max(Math.abs(mean), 1);
    }

    private void update(double target) {
        int n = order + 1;
        for (int i = 0; i < n; i++) {
            px[i] = dot(covariance[i], x);
        }
        double denominator = forgetting + dot(x, px);
        double error = target - dot(theta, x);
        for (int i = 0; i < n; i++) {
            theta[i] += px[i] / denominator * error;
        }
        // P <- (P - P x x' P / denominator) / λ, kept symmetric so rounding cannot make it
        // indefinite over millions of updates.
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = (covariance[i][j] - px[i] * px[j] / denominator) / forgetting;
                covariance[i][j] = v;
                covariance[j][i] = v;
            }
        }
        updates++;
    }

    private int slot(long index) {
        return (int) (index % (order + 1));
    }

    /** How many doubles {@link #saveTo} writes for order p: 2(p+1) + (p+1)² + 5. */
    static int savedSize(int order) {
        int n = order + 1;
        return 2 * n + n * n + 5;
    }

    /** Writes this model's state at {@code out[from ..]} ({@link #savedSize} doubles). */
    void saveTo(double[] out, int from) {
        int n = order + 1;
        int i = from;
        out[i++] = forgetting;
        out[i++] = mean;
        out[i++] = scale;
        out[i++] = seen;
        System.arraycopy(lags, 0, out, i, n);
        i += n;
        System.arraycopy(theta, 0, out, i, n);
        i += n;
        for (double[] row : covariance) {
            System.arraycopy(row, 0, out, i, n);
            i += n;
        }
        out[i] = updates;
    }

    /** A model of order p continuing from what {@link #saveTo} wrote at {@code in[from ..]}. */
    static OnlineAutoRegression restoreFrom(int order, double[] in, int from) {
        OnlineAutoRegression ar = new OnlineAutoRegression(order, in[from]);
        int n = order + 1;
        ar.mean = in[from + 1];
        ar.scale = in[from + 2];
        ar.seen = (long) in[from + 3];
        int i = from + 4;
        System.arraycopy(in, i, ar.lags, 0, n);
        i += n;
        System.arraycopy(in, i, ar.theta, 0, n);
        i += n;
        for (double[] row : ar.covariance) {
            System.arraycopy(in, i, row, 0, n);
            i += n;
        }
        ar.updates = (long) in[i];
        return ar;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
