package dev.streamlearn.trainer.family.attention;

import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.models.family.attention.AttentionTextSpec;
import dev.streamlearn.models.family.text.TestedText;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.family.ClassifierTrainer;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftWatch;
import dev.streamlearn.trainer.training.TrainingInput;

/**
 * Test-then-train of {@code attention-text-classifier}, as the text classifier's: scores each
 * labelled text with the current weights (and with the majority class so far as the baseline), then
 * learns it. The drift watch sees each text's 0/1 error.
 */
final class AttentionTrainer extends ClassifierTrainer {
    private final AttentionLearner learner;

    AttentionTrainer(ModelSpec spec) {
        this(AttentionTextTraining.INSTANCE.newLearner(spec));
    }

    AttentionTrainer(LearnerSnapshot snapshot) {
        this(AttentionTextTraining.INSTANCE.restoreLearner(snapshot));
    }

    private AttentionTrainer(AttentionLearner learner) {
        super(DriftWatch.Options.defaults(learner.spec()));
        this.learner = learner;
    }

    @Override
    public Offer offer(TrainingInput example) {
        TrainingInput.TextExample x = (TrainingInput.TextExample) example;
        String label = x.label();
        AttentionTextModel kernel = learner.model();
        TokenizedText tokens = kernel.tokenizer().tokenize(x.text());
        TestedText tested = kernel.test(tokens, label);
        recordTest(tested.predicted(), tested.probabilityOfActual(), label);
        return learner.offer(tokens, label);
    }

    @Override
    protected Learner learner() {
        return learner;
    }

    @Override
    public int specBatchSize() {
        return learner.spec().get(AttentionTextSpec.BATCH_SIZE);
    }
}
