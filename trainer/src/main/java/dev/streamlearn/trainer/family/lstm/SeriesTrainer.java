package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.metrics.PrequentialMean;
import dev.streamlearn.models.metrics.RegressionMetrics;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-then-train of {@code lstm-forecaster}: forecasts each point from its window with the current
 * weights (and with persistence, the previous value, as the baseline), then learns it.
 */
final class SeriesTrainer extends ModelTrainer {
    private final SeriesLearner learner;
    private final PrequentialMean absolute = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean squared = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean baselineAbsolute =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean baselineSquared =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);

    SeriesTrainer(ModelSpec spec) {
        this.learner = LstmForecasterTraining.INSTANCE.newLearner(spec);
    }

    SeriesTrainer(LearnerSnapshot snapshot) {
        this.learner = LstmForecasterTraining.INSTANCE.restoreLearner(snapshot);
    }

    @Override
    public Offer offer(TrainingInput example) {
        TrainingInput.SeriesExample x = (TrainingInput.SeriesExample) example;
        NormalisedWindow window = x.normalisedWindow();
        double error = x.point() - learner.model().forecast(window);
        double baselineError = x.point() - window.last();
        if (Double.isFinite(error) && Double.isFinite(baselineError)) {
            absolute.add(Math.abs(error));
            squared.add(error * error);
            baselineAbsolute.add(Math.abs(baselineError));
            baselineSquared.add(baselineError * baselineError);
        }
        return learner.offer(window, x.point());
    }

    @Override
    protected Learner learner() {
        return learner;
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("examples", (double) absolute.count());
        m.put("mae", absolute.mean());
        m.put("rmse", Math.sqrt(squared.mean()));
        m.put("fadingMae", absolute.fadingMean());
        m.put("fadingRmse", Math.sqrt(squared.fadingMean()));
        m.put("baseline.mae", baselineAbsolute.mean());
        m.put("baseline.rmse", Math.sqrt(baselineSquared.mean()));
        m.put("baseline.fadingMae", baselineAbsolute.fadingMean());
        m.put("baseline.fadingRmse", Math.sqrt(baselineSquared.fadingMean()));
        m.put("maeRatioToBaseline", absolute.mean() / baselineAbsolute.mean());
        return m;
    }

    @Override
    public int specBatchSize() {
        return learner.spec().get(LstmForecasterSpec.BATCH_SIZE);
    }

    @Override
    public double[] metricsState() {
        return PrequentialMean.saveAll(absolute, squared, baselineAbsolute, baselineSquared);
    }

    @Override
    public Map<String, Long> labelCounts() {
        return Map.of();
    }

    @Override
    public void restoreMetrics(double[] state, Map<String, Long> labelCounts) {
        PrequentialMean.restoreAll(state, absolute, squared, baselineAbsolute, baselineSquared);
    }
}
