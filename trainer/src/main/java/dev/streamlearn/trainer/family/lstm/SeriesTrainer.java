package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.metrics.PrequentialMean;
import dev.streamlearn.models.metrics.RegressionMetrics;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftLosses;
import dev.streamlearn.trainer.training.DriftWatch;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-then-train of {@code lstm-forecaster}: forecasts each point from its window with the current
 * weights (and with persistence, the previous value, as the baseline), then learns it. The series'
 * seasonal naive and online AR(p) forecasts of each point, made by {@link SeriesWindowFunction} as
 * {@code evaluate series} makes them, are scored on the same points ({@code seasonalNaive.*},
 * {@code autoRegression.*}), so the published metrics compare the model with all three. The drift
 * watch sees each point's error over its window's mean absolute step ({@link DriftLosses#series}).
 */
final class SeriesTrainer extends ModelTrainer {
    private final SeriesLearner learner;
    private final PrequentialMean absolute = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean squared = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean baselineAbsolute =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean baselineSquared =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean seasonalNaiveAbsolute =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean autoRegressionAbsolute =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);

    SeriesTrainer(ModelSpec spec) {
        this(LstmForecasterTraining.INSTANCE.newLearner(spec));
    }

    SeriesTrainer(LearnerSnapshot snapshot) {
        this(LstmForecasterTraining.INSTANCE.restoreLearner(snapshot));
    }

    private SeriesTrainer(SeriesLearner learner) {
        super(DriftWatch.Options.defaults(learner.spec()));
        this.learner = learner;
    }

    @Override
    public Offer offer(TrainingInput example) {
        TrainingInput.SeriesExample x = (TrainingInput.SeriesExample) example;
        NormalisedWindow window = x.normalisedWindow();
        double error = x.point() - learner.model().forecast(window);
        double baselineError = x.point() - window.last();
        watchDrift(DriftLosses.series(error, window));
        if (Double.isFinite(error) && Double.isFinite(baselineError)) {
            absolute.add(Math.abs(error));
            squared.add(error * error);
            baselineAbsolute.add(Math.abs(baselineError));
            baselineSquared.add(baselineError * baselineError);
            double seasonalNaiveError = x.point() - x.seasonalNaive();
            double autoRegressionError = x.point() - x.autoRegression();
            if (Double.isFinite(seasonalNaiveError) && Double.isFinite(autoRegressionError)) {
                seasonalNaiveAbsolute.add(Math.abs(seasonalNaiveError));
                autoRegressionAbsolute.add(Math.abs(autoRegressionError));
            }
        }
        return learner.offer(window, x.point());
    }

    @Override
    protected Learner learner() {
        return learner;
    }

    @Override
    protected Map<String, Double> prequentialMetrics() {
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
        if (seasonalNaiveAbsolute.count() > 0) {
            m.put("seasonalNaive.mae", seasonalNaiveAbsolute.mean());
            m.put("seasonalNaive.fadingMae", seasonalNaiveAbsolute.fadingMean());
            m.put("autoRegression.mae", autoRegressionAbsolute.mean());
            m.put("autoRegression.fadingMae", autoRegressionAbsolute.fadingMean());
        }
        return m;
    }

    @Override
    public int specBatchSize() {
        return learner.spec().get(LstmForecasterSpec.BATCH_SIZE);
    }

    @Override
    protected double[] prequentialState() {
        return PrequentialMean.saveAll(
                absolute,
                squared,
                baselineAbsolute,
                baselineSquared,
                seasonalNaiveAbsolute,
                autoRegressionAbsolute);
    }

    @Override
    public Map<String, Long> labelCounts() {
        return Map.of();
    }

    @Override
    protected void restorePrequential(double[] state, Map<String, Long> labelCounts) {
        if (state.length == 4 * PrequentialMean.STATE_SIZE) {
            // A checkpoint from before the seasonal naive and AR baselines: they start now.
            PrequentialMean.restoreAll(state, absolute, squared, baselineAbsolute, baselineSquared);
            return;
        }
        PrequentialMean.restoreAll(
                state,
                absolute,
                squared,
                baselineAbsolute,
                baselineSquared,
                seasonalNaiveAbsolute,
                autoRegressionAbsolute);
    }
}
