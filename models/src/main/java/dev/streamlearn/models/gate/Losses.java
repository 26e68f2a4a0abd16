package dev.streamlearn.models.gate;

/**
 * The per-event losses the promotion gate compares versions by, computed by the gate from the
 * versions' kernels, never taken from a version's own metrics.
 */
public final class Losses {
    /** Probabilities are clipped here, so one confident mistake costs at most about 13.8 nats. */
    static final double MIN_PROBABILITY = 1e-6;

    private Losses() {}

    /**
     * Cross-entropy of a classifier on one labelled event: {@code -ln p(actual)}, with {@code p}
     * clipped below at {@value #MIN_PROBABILITY} (a label the version does not know has p = 0).
     * Consecutive versions differ little in it, so a paired test on it decides in fewer events than
     * one on 0/1 errors.
     */
    public static double logLoss(double probabilityOfActual) {
        return -Math.log(Math.max(MIN_PROBABILITY, Math.min(1, probabilityOfActual)));
    }

    /**
     * Absolute error of a forecast over the series' mean absolute step in the window it was made
     * from (as MASE scales errors, Hyndman and Koehler 2006), so series of any magnitude weigh
     * alike and persistence scores about 1.
     *
     * @param window the values the forecast was made from, oldest first
     */
    public static double scaledAbsoluteError(double forecast, double actual, double[] window) {
        double steps = 0;
        for (int i = 1; i < window.length; i++) {
            steps += Math.abs(window[i] - window[i - 1]);
        }
        double scale = window.length > 1 ? steps / (window.length - 1) : 0;
        double level = window.length > 0 ? Math.abs(window[window.length - 1]) : 0;
        // A flat window has no steps: fall back to a tiny fraction of its level, so a forecast
        // off a constant series still costs something finite.
        double floor = Math.max(1e-9, 1e-6 * level);
        return Math.abs(forecast - actual) / Math.max(scale, floor);
    }

    /**
     * The series family's naive baseline on one point: persistence (the window's last value as the
     * forecast), scaled as {@link #scaledAbsoluteError} scales a version's forecast. NaN for an
     * empty window.
     */
    public static double persistenceError(double actual, double[] window) {
        return window.length == 0
                ? Double.NaN
                : scaledAbsoluteError(window[window.length - 1], actual, window);
    }
}
