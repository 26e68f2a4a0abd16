package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.family.mlp.OnlineLogisticRegression;
import dev.streamlearn.models.family.mlp.TestedVector;
import dev.streamlearn.models.metrics.ClassificationMetrics;
import dev.streamlearn.models.metrics.MajorityClassBaseline;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.trainer.family.mlp.DecodeVector;
import dev.streamlearn.trainer.family.mlp.MlpClassifierTraining;
import dev.streamlearn.trainer.family.mlp.MlpLearner;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftLosses;
import dev.streamlearn.trainer.training.DriftWatch;
import java.util.LinkedHashMap;
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
    private final ClassificationMetrics model = new ClassificationMetrics();
    private final ClassificationMetrics linear = new ClassificationMetrics();
    private final ClassificationMetrics majorityMetrics = new ClassificationMetrics();
    private final RecentHits modelRecent = new RecentHits(RECENT);
    private final RecentHits linearRecent = new RecentHits(RECENT);
    private final RecentHits majorityRecent = new RecentHits(RECENT);
    private final OnlineLogisticRegression logistic;
    private final MajorityClassBaseline majority = new MajorityClassBaseline();
    private final DriftWatch drift;
    private final Rejections rejectedRows = new Rejections();
    private final Rejections rejectedForTraining = new Rejections();
    private long unlabelled;
    private long startNanos = -1;
    private long endNanos;

    public VectorEvaluation(ModelSpec spec) {
        this.learner = MlpClassifierTraining.INSTANCE.newLearner(spec);
        this.logistic =
                new OnlineLogisticRegression(
                        spec.get(MlpClassifierSpec.INPUTS), LINEAR_LEARNING_RATE);
        this.drift = new DriftWatch(DriftWatch.Options.defaults(spec));
    }

    /** Scores, then learns, one event. */
    public void accept(VectorEvent event) {
        if (startNanos < 0) {
            startNanos = System.nanoTime();
        }
        String label = event.getLabel();
        double[] x = DecodeVector.features(event.getFeatures());
        String refusal =
                MlpClassifierModel.refusal(x, learner.spec().get(MlpClassifierSpec.INPUTS));
        if (label == null) {
            unlabelled++;
        } else if (refusal != null) {
            rejectedForTraining.add(event.getId() + ": " + refusal);
        } else {
            TestedVector tested = learner.model().test(x, label);
            model.add(tested.predicted(), label, tested.probabilityOfActual());
            modelRecent.add(label.equals(tested.predicted()));
            Map<String, Double> p = logistic.probabilities(x);
            String linearPredicted = logistic.predict(x);
            linear.add(linearPredicted, label, p.getOrDefault(label, 0.0));
            linearRecent.add(label.equals(linearPredicted));
            logistic.learn(x, label);
            majorityMetrics.add(majority.predict(), label, majority.probabilityOf(label));
            majorityRecent.add(label.equals(majority.predict()));
            majority.learn(label);
            drift.watch(DriftLosses.text(label.equals(tested.predicted())), learner);
            Offer offer = learner.offer(x, label);
            if (offer.status() == Offer.Status.REJECTED) {
                rejectedForTraining.add(event.getId() + ": " + offer.rejection().reason());
            }
        }
        endNanos = System.nanoTime();
    }

    /** Counts a row that never became an event (e.g. a file row that could not be read). */
    public void rejectRow(String description) {
        rejectedRows.add(description);
    }

    public ClassificationMetrics modelMetrics() {
        return model;
    }

    public ClassificationMetrics linearMetrics() {
        return linear;
    }

    /** The MLP's accuracy over the last {@link #RECENT} labelled events. */
    public double recentAccuracy() {
        return modelRecent.accuracy();
    }

    /** The online linear model's accuracy over the last {@link #RECENT} labelled events. */
    public double linearRecentAccuracy() {
        return linearRecent.accuracy();
    }

    public MlpLearner learner() {
        return learner;
    }

    /** The report {@code streamlearn evaluate vector} prints. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        double seconds = startNanos < 0 ? 0 : (endNanos - startNanos) / 1e9;
        long examples = model.count();
        r.put("kind", learner.spec().kind().id());
        r.put("examples", examples);
        r.put("unlabelled", unlabelled);
        r.put("seconds", seconds);
        r.put("examplesPerSecond", seconds > 0 ? (examples + unlabelled) / seconds : 0.0);
        r.put("model", withRecent(model, modelRecent));
        r.put("baseline", withRecent(linear, linearRecent));
        r.put("baselineName", "online logistic regression (SGD " + LINEAR_LEARNING_RATE + ")");
        r.put("majority", withRecent(majorityMetrics, majorityRecent));
        r.put("rejected", rejectedRows.toMap());
        r.put("rejectedForTraining", rejectedForTraining.toMap());
        Map<String, Double> detections = new LinkedHashMap<>();
        drift.putMetrics(detections);
        r.put("drift", detections);
        r.put("fits", learner.fits());
        r.put("reverts", learner.reverts());
        r.put("spec", learner.spec().toMap());
        return r;
    }

    private static Map<String, Object> withRecent(ClassificationMetrics all, RecentHits recent) {
        Map<String, Object> m = new LinkedHashMap<>(all.toMap());
        m.put("recentAccuracy", recent.accuracy());
        m.put("recentEvents", recent.count());
        return m;
    }

    /** Hits among the last {@code size} predictions. */
    private static final class RecentHits {
        private final boolean[] ring;
        private int next;
        private int count;
        private int hits;

        RecentHits(int size) {
            this.ring = new boolean[size];
        }

        void add(boolean hit) {
            if (count == ring.length) {
                hits -= ring[next] ? 1 : 0;
            } else {
                count++;
            }
            ring[next] = hit;
            hits += hit ? 1 : 0;
            next = (next + 1) % ring.length;
        }

        int count() {
            return count;
        }

        double accuracy() {
            return count == 0 ? Double.NaN : (double) hits / count;
        }
    }
}
