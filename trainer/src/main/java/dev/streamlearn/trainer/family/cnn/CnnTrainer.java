package dev.streamlearn.trainer.family.cnn;

import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.family.cnn.TestedImage;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.family.ClassifierTrainer;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftWatch;
import dev.streamlearn.trainer.training.TrainingInput;

/**
 * Test-then-train of {@code cnn-classifier}: scores each labelled image with the current weights
 * (and with the majority class so far as the baseline), then learns it. An image the model cannot
 * read is not tested, only offered, so the learner refuses it with the reason. The drift watch sees
 * each image's 0/1 error.
 */
final class CnnTrainer extends ClassifierTrainer {
    private final CnnLearner learner;

    CnnTrainer(ModelSpec spec) {
        this(CnnClassifierTraining.INSTANCE.newLearner(spec));
    }

    CnnTrainer(LearnerSnapshot snapshot) {
        this(CnnClassifierTraining.INSTANCE.restoreLearner(snapshot));
    }

    private CnnTrainer(CnnLearner learner) {
        super(DriftWatch.Options.defaults(learner.spec()));
        this.learner = learner;
    }

    @Override
    public Offer offer(TrainingInput example) {
        TrainingInput.ImageExample x = (TrainingInput.ImageExample) example;
        String label = x.label();
        if (label == null
                || CnnClassifierModel.refusal(
                                learner.spec(), x.width(), x.height(), x.channels(), x.pixels())
                        != null) {
            return learner.offer(x.width(), x.height(), x.channels(), x.pixels(), label);
        }
        TestedImage tested = learner.model().test(CnnClassifierModel.scaled(x.pixels()), label);
        recordTest(tested.predicted(), tested.probabilityOfActual(), label);
        return learner.offer(x.width(), x.height(), x.channels(), x.pixels(), label);
    }

    @Override
    protected Learner learner() {
        return learner;
    }

    @Override
    public int specBatchSize() {
        return learner.spec().get(CnnClassifierSpec.BATCH_SIZE);
    }
}
