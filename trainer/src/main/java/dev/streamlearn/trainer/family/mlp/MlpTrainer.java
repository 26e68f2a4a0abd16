package dev.streamlearn.trainer.family.mlp;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.family.mlp.TestedVector;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.family.ClassifierTrainer;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftWatch;
import dev.streamlearn.trainer.training.TrainingInput;

/**
 * Test-then-train of {@code mlp-classifier}: scores each labelled vector with the current weights
 * (and with the majority class so far as the baseline), then learns it. A vector the model cannot
 * read is not tested, only offered, so the learner refuses it with the reason. The drift watch sees
 * each vector's 0/1 error.
 */
final class MlpTrainer extends ClassifierTrainer {
    private final MlpLearner learner;

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
        recordTest(tested.predicted(), tested.probabilityOfActual(), label);
        return learner.offer(x.features(), label);
    }

    @Override
    protected Learner learner() {
        return learner;
    }

    @Override
    public int specBatchSize() {
        return learner.spec().get(MlpClassifierSpec.BATCH_SIZE);
    }
}
