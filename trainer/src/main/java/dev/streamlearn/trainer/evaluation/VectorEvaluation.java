package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.family.mlp.OnlineLogisticRegression;
import dev.streamlearn.models.family.mlp.TestedVector;
import dev.streamlearn.models.metrics.ClassificationMetrics;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.trainer.family.mlp.DecodeVector;
import dev.streamlearn.trainer.family.mlp.MlpClassifierTraining;
import dev.streamlearn.trainer.family.mlp.MlpLearner;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftLosses;
import dev.streamlearn.trainer.training.DriftWatch;
import java.util.Map;

/**
 * Prequential (test-then-train) evaluation of {@code mlp-classifier} (Dawid 1984; Gama et al.
 * 2013): each labelled vector is first scored by the {@code models} kernel with the weights learned
 * so far, then learned. Two baselines run alongside on the same events, tested and then trained the
 * same way: the majority class so far, and an online linear model ({@link
 * OnlineLogisticRegression}), which shows what the hidden layers add. Besides all-time and fading
 * accuracy each reports its accuracy over the last {@link #RECENT} labelled events, where a stream
 * that can be learned shows what was learned. Unlabelled events are counted, not learned. Drift
 * detection and its action run as in the trainer ({@link DriftWatch}).
 */
public final class VectorEvaluation {
    /** The window of {@code recentAccuracy}. */
    public static final int RECENT = 1000;

    /**
     * The linear baseline's SGD step, the middle of those tried: on XOR every step from 0.01 to 1
     * leaves it at chance (BENCHMARKS.md, "Feature vectors: XOR").
     */
    static final double LINEAR_LEARNING_RATE = 0.1;

    private final MlpLearner learner;
    private final ClassifierRecord model = new ClassifierRecord(RECENT);
    private final ClassifierBaselines baselines;
    private final DriftWatch drift;
    private final PrequentialPass pass = new PrequentialPass();

    public VectorEvaluation(ModelSpec spec) {
        this.learner = MlpClassifierTraining.INSTANCE.newLearner(spec);
        this.baselines =
                new ClassifierBaselines(
                        spec.get(MlpClassifierSpec.INPUTS), LINEAR_LEARNING_RATE, RECENT);
        this.drift = new DriftWatch(DriftWatch.Options.defaults(spec));
    }

    /** Scores, then learns, one event. */
    public void accept(VectorEvent event) {
        pass.arrived();
        String label = event.getLabel();
        double[] x = DecodeVector.features(event.getFeatures());
        String refusal =
                MlpClassifierModel.refusal(x, learner.spec().get(MlpClassifierSpec.INPUTS));
        if (label == null) {
            pass.unlabelled();
        } else if (refusal != null) {
            pass.rejectForTraining(event.getId() + ": " + refusal);
        } else {
            TestedVector tested = learner.model().test(x, label);
            model.add(tested.predicted(), label, tested.probabilityOfActual());
            baselines.testThenTrain(x, label);
            drift.watch(DriftLosses.text(label.equals(tested.predicted())), learner);
            Offer offer = learner.offer(x, label);
            if (offer.status() == Offer.Status.REJECTED) {
                pass.rejectForTraining(event.getId() + ": " + offer.rejection().reason());
            }
        }
        pass.done();
    }

    /** Counts a row that never became an event (e.g. a file row that could not be read). */
    public void rejectRow(String description) {
        pass.rejectRow(description);
    }

    public ClassificationMetrics modelMetrics() {
        return model.metrics();
    }

    public ClassificationMetrics linearMetrics() {
        return baselines.linear().metrics();
    }

    /** The MLP's accuracy over the last {@link #RECENT} labelled events. */
    public double recentAccuracy() {
        return model.recentAccuracy();
    }

    /** The online linear model's accuracy over the last {@link #RECENT} labelled events. */
    public double linearRecentAccuracy() {
        return baselines.linear().recentAccuracy();
    }

    public MlpLearner learner() {
        return learner;
    }

    /** The report {@code streamlearn evaluate vector} prints. */
    public Map<String, Object> report() {
        Map<String, Object> r = pass.reportHead(learner, model.metrics().count());
        r.put("model", model.toMap());
        baselines.report(r);
        pass.reportTail(r, drift, learner);
        return r;
    }
}
