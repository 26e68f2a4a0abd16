package dev.streamlearn.trainer.family.mlp;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.family.mlp.TestedVector;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.ClassifierPrequential;
import dev.streamlearn.trainer.training.DriftLosses;
import dev.streamlearn.trainer.training.DriftWatch;
import dev.streamlearn.trainer.training.ModelTrainer;
import dev.streamlearn.trainer.training.TrainingInput;
import java.util.Map;

/**
 * Test-then-train of {@code mlp-classifier}: scores each labelled vector with the current weights
 * (and with the majority class so far as the baseline), then learns it. A vector the model cannot
 * read is not tested, only offered, so the learner refuses it with the reason. The drift watch sees
 * each vector's 0/1 error.
 */
final class MlpTrainer extends ModelTrainer {
    private final MlpLearner learner;
    private final ClassifierPrequential prequential = new ClassifierPrequential();

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
        prequential.add(tested.predicted(), tested.probabilityOfActual(), label);
        watchDrift(DriftLosses.text(label.equals(tested.predicted())));
        return learner.offer(x.features(), label);
    }

    @Override
    protected Learner learner() {
        return learner;
    }

    @Override
    protected Map<String, Double> prequentialMetrics() {
        return prequential.metrics();
    }

    @Override
    public int specBatchSize() {
        return learner.spec().get(MlpClassifierSpec.BATCH_SIZE);
    }

    @Override
    protected double[] prequentialState() {
        return prequential.state();
    }

    @Override
    public Map<String, Long> labelCounts() {
        return prequential.labelCounts();
    }

    @Override
    protected void restorePrequential(double[] state, Map<String, Long> counts) {
        prequential.restore(state, counts);
    }
}
