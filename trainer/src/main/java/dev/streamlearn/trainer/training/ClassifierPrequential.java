package dev.streamlearn.trainer.training;

import dev.streamlearn.models.metrics.ClassificationMetrics;
import dev.streamlearn.models.metrics.MajorityClassBaseline;
import dev.streamlearn.models.metrics.PrequentialMean;
import dev.streamlearn.models.metrics.RegressionMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A classifier's prequential figures, as every classifying family's trainer keeps them: accuracy
 * and log-loss of the model's test before it learns, beside the majority class so far as the
 * baseline, on sums a checkpoint can restore exactly ({@link #state}, {@link #labelCounts}).
 */
public final class ClassifierPrequential {
    private final PrequentialMean correct = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean logLoss = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean baselineCorrect =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean baselineLogLoss =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private MajorityClassBaseline majority = new MajorityClassBaseline();
    private final Map<String, Long> labelCounts = new LinkedHashMap<>();

    /**
     * Books one example of {@code label}, which the model predicted as {@code predicted} giving the
     * label {@code probabilityOfActual}, and the baseline's test of it; then the baseline learns
     * the label.
     */
    public void add(String predicted, double probabilityOfActual, String label) {
        add(correct, logLoss, predicted, label, probabilityOfActual);
        add(
                baselineCorrect,
                baselineLogLoss,
                majority.predict(),
                label,
                majority.probabilityOf(label));
        majority.learn(label);
        labelCounts.merge(label, 1L, Long::sum);
    }

    /** The arithmetic of {@link ClassificationMetrics#add}, on restorable sums. */
    private static void add(
            PrequentialMean correct,
            PrequentialMean logLoss,
            String predicted,
            String actual,
            double probabilityOfActual) {
        correct.add(actual.equals(predicted) ? 1 : 0);
        double p = Double.isFinite(probabilityOfActual) ? probabilityOfActual : 0;
        logLoss.add(-Math.log(Math.min(1, Math.max(ClassificationMetrics.MIN_PROBABILITY, p))));
    }

    /** The model's figures and the baseline's ({@code baseline.*}), by name. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("examples", (double) correct.count());
        m.put("accuracy", correct.mean());
        m.put("logLoss", logLoss.mean());
        m.put("fadingAccuracy", correct.fadingMean());
        m.put("fadingLogLoss", logLoss.fadingMean());
        m.put("baseline.accuracy", baselineCorrect.mean());
        m.put("baseline.logLoss", baselineLogLoss.mean());
        m.put("baseline.fadingAccuracy", baselineCorrect.fadingMean());
        m.put("baseline.fadingLogLoss", baselineLogLoss.fadingMean());
        return m;
    }

    /** The sums, as {@link #restore} reads them. */
    public double[] state() {
        return PrequentialMean.saveAll(correct, logLoss, baselineCorrect, baselineLogLoss);
    }

    /** Examples per label, in first-seen order. */
    public Map<String, Long> labelCounts() {
        return new LinkedHashMap<>(labelCounts);
    }

    /** Continues from {@link #state} and {@link #labelCounts}. */
    public void restore(double[] state, Map<String, Long> counts) {
        PrequentialMean.restoreAll(state, correct, logLoss, baselineCorrect, baselineLogLoss);
        labelCounts.clear();
        labelCounts.putAll(counts);
        // The baseline keeps its counts private; replaying them in first-seen order rebuilds it
        // exactly (same counts, same tie order).
        majority = new MajorityClassBaseline();
        counts.forEach(
                (label, n) -> {
                    for (long i = 0; i < n; i++) {
                        majority.learn(label);
                    }
                });
    }
}
