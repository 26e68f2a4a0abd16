package dev.streamlearn.models.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Prequential MAE and RMSE of a forecaster, all-time and fading (see {@link PrequentialMean}). */
public final class RegressionMetrics {
    /** The default fading factor: an effective window of about 1000 points. */
    public static final double DEFAULT_FADING = 0.999;

    private final PrequentialMean absolute;
    private final PrequentialMean squared;

    public RegressionMetrics() {
        this(DEFAULT_FADING);
    }

    public RegressionMetrics(double fading) {
        absolute = new PrequentialMean(fading);
        squared = new PrequentialMean(fading);
    }

    /** Adds the error of one forecast (observed − forecast). */
    public void add(double error) {
        if (!Double.isFinite(error)) {
            throw new IllegalArgumentException("forecast error is " + error + ", expected finite");
        }
        absolute.add(Math.abs(error));
        squared.add(error * error);
    }

    public long count() {
        return absolute.count();
    }

    public double mae() {
        return absolute.mean();
    }

    public double rmse() {
        return Math.sqrt(squared.mean());
    }

    public double fadingMae() {
        return absolute.fadingMean();
    }

    public double fadingRmse() {
        return Math.sqrt(squared.fadingMean());
    }

    /** {@code mae, rmse, fadingMae, fadingRmse}, for reports. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mae", mae());
        m.put("rmse", rmse());
        m.put("fadingMae", fadingMae());
        m.put("fadingRmse", fadingRmse());
        return m;
    }
}
