package dev.streamlearn.models.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prequential accuracy and log-loss of a classifier, all-time and fading (see {@link
 * PrequentialMean}). Probabilities are clipped at {@link #MIN_PROBABILITY}, so a label the model
 * has not learned yet costs a large but finite loss.
 */
public final class ClassificationMetrics {
    public static final double MIN_PROBABILITY = 1e-15;

    private final PrequentialMean correct;
    private final PrequentialMean logLoss;

    public ClassificationMetrics() {
        this(RegressionMetrics.DEFAULT_FADING);
    }

    public ClassificationMetrics(double fading) {
        correct = new PrequentialMean(fading);
        logLoss = new PrequentialMean(fading);
    }

    /**
     * Adds one prediction.
     *
     * @param predicted the predicted label (null: no prediction, counts as wrong)
     * @param actual the true label
     * @param probabilityOfActual the probability the model gave {@code actual}
     */
    public void add(String predicted, String actual, double probabilityOfActual) {
        correct.add(actual.equals(predicted) ? 1 : 0);
        double p = Double.isFinite(probabilityOfActual) ? probabilityOfActual : 0;
        logLoss.add(-Math.log(Math.min(1, Math.max(MIN_PROBABILITY, p))));
    }

    public long count() {
        return correct.count();
    }

    public double accuracy() {
        return correct.mean();
    }

    public double logLoss() {
        return logLoss.mean();
    }

    public double fadingAccuracy() {
        return correct.fadingMean();
    }

    public double fadingLogLoss() {
        return logLoss.fadingMean();
    }

    /** {@code accuracy, logLoss, fadingAccuracy, fadingLogLoss}, for reports. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy());
        m.put("logLoss", logLoss());
        m.put("fadingAccuracy", fadingAccuracy());
        m.put("fadingLogLoss", fadingLogLoss());
        return m;
    }
}
