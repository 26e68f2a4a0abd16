package dev.streamlearn.trainer.family.mlp;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.family.mlp.TestedVector;
import dev.streamlearn.models.metrics.ClassificationMetrics;
import dev.streamlearn.models.metrics.MajorityClassBaseline;
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
 * Test-then-train of {@code mlp-classifier}: scores each labelled vector with the current weights
 * (and with the majority class so far as the baseline), then learns it. A vector the model cannot
 * read is not tested, only offered, so the learner refuses it with the reason. The drift watch sees
 * each vector's 0/1 error.
 */
final class MlpTrainer extends ModelTrainer {
    private final MlpLearner learner;
    private final PrequentialMean correct = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean logLoss = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean baselineCorrect =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private final PrequentialMean baselineLogLoss =
            new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
    private MajorityClassBaseline majority = new MajorityClassBaseline();
    private final Map<String, Long> labelCounts = new LinkedHashMap<>();

    MlpTrainer(ModelSpec spec) {
        this(MlpClassifierTraining.INSTANCE.newLearner(spec));
    }

    MlpTrainer(LearnerSnapshot snapshot) {
        this(MlpClassifierTraining.INSTANCE.restoreLearner(snapshot));
    }

    private MlpTrainer(MlpLearner learner) {
        super(DriftWatch.Options.defaults(learner.spec()));
        this.learner = learner;
    }

    @Override
    public Offer offer(TrainingInput example) {
        TrainingInput.VectorExample x = (TrainingInput.VectorExample) example;
        String label = x.label();
        int inputs = learner.spec().get(MlpClassifierSpec.INPUTS);
        if (label == null || MlpClassifierModel.refusal(x.features(), inputs) != null) {
            return learner.offer(x.features(), label);
        }
        TestedVector tested = learner.model().test(x.features(), label);
        add(correct, logLoss, tested.predicted(), label, tested.probabilityOfActual());
        add(
                baselineCorrect,
                baselineLogLoss,
                majority.predict(),
                label,
                majority.probabilityOf(label));
        majority.learn(label);
        labelCounts.merge(label, 1L, Long::sum);
        watchDrift(DriftLosses.text(label.equals(tested.predicted())));
        return learner.offer(x.features(), label);
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

    @Override
    protected Learner learner() {
        return learner;
    }

    @Override
    protected Map<String, Double> prequentialMetrics() {
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

    @Override
    public int specBatchSize() {
        return learner.spec().get(MlpClassifierSpec.BATCH_SIZE);
    }

    @Override
    protected double[] prequentialState() {
        return PrequentialMean.saveAll(correct, logLoss, baselineCorrect, baselineLogLoss);
    }

    @Override
    public Map<String, Long> labelCounts() {
        return new LinkedHashMap<>(labelCounts);
    }

    @Override
    protected void restorePrequential(double[] state, Map<String, Long> counts) {
        PrequentialMean.restoreAll(state, correct, logLoss, baselineCorrect, baselineLogLoss);
        labelCounts.clear();
        labelCounts.putAll(counts);
        // Replaying the counts in first-seen order rebuilds the baseline exactly.
        majority = new MajorityClassBaseline();
        counts.forEach(
                (label, n) -> {
                    for (long i = 0; i < n; i++) {
                        majority.learn(label);
                    }
                });
    }
}
