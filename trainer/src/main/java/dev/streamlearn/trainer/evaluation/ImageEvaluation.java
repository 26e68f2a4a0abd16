package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.family.cnn.TestedImage;
import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.family.mlp.OnlineLogisticRegression;
import dev.streamlearn.models.family.mlp.TestedVector;
import dev.streamlearn.models.metrics.ClassificationMetrics;
import dev.streamlearn.models.metrics.MajorityClassBaseline;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.trainer.family.cnn.CnnClassifierTraining;
import dev.streamlearn.trainer.family.cnn.CnnLearner;
import dev.streamlearn.trainer.family.cnn.DecodeImage;
import dev.streamlearn.trainer.family.mlp.MlpClassifierTraining;
import dev.streamlearn.trainer.family.mlp.MlpLearner;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftLosses;
import dev.streamlearn.trainer.training.DriftWatch;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prequential (test-then-train) evaluation of {@code cnn-classifier} (Dawid 1984; Gama et al.
 * 2013): each labelled image is first scored by the {@code models} kernel with the weights learned
 * so far, then learned. Three baselines run alongside on the same images, scaled to [0, 1] as the
 * network reads them, tested and then trained the same way: an {@code mlp-classifier} on the pixels
 * as a flat vector ({@link #mlpSpec}: what the convolutions add over a dense network), an online
 * linear model ({@link OnlineLogisticRegression}) and the majority class so far. Besides all-time
 * accuracy each reports its accuracy over the last {@link #RECENT} labelled images. Unlabelled
 * images are counted, not learned. Drift detection and its action run as in the trainer ({@link
 * DriftWatch}).
 */
public final class ImageEvaluation {
    /** The window of {@code recentAccuracy}. */
    public static final int RECENT = 1000;

    /** The linear baseline's SGD step. */
    static final double LINEAR_LEARNING_RATE = 0.01;

    private final CnnLearner learner;
    private final MlpLearner mlp;
    private final ClassificationMetrics model = new ClassificationMetrics();
    private final ClassificationMetrics mlpMetrics = new ClassificationMetrics();
    private final ClassificationMetrics linear = new ClassificationMetrics();
    private final ClassificationMetrics majorityMetrics = new ClassificationMetrics();
    private final RecentHits modelRecent = new RecentHits(RECENT);
    private final RecentHits mlpRecent = new RecentHits(RECENT);
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
    private long cnnNanos;

    public ImageEvaluation(ModelSpec spec) {
        this.learner = CnnClassifierTraining.INSTANCE.newLearner(spec);
        this.mlp = MlpClassifierTraining.INSTANCE.newLearner(mlpSpec(spec));
        this.logistic = new OnlineLogisticRegression(pixels(spec), LINEAR_LEARNING_RATE);
        this.drift = new DriftWatch(DriftWatch.Options.defaults(spec));
    }

    /**
     * The dense baseline for images of {@code spec}'s size: one hidden layer as wide as the CNN's
     * dense layer, ReLU, and the CNN's optimiser settings and labels.
     */
    public static ModelSpec mlpSpec(ModelSpec spec) {
        return MlpClassifierSpec.defaults()
                .with(MlpClassifierSpec.INPUTS, pixels(spec))
                .with(MlpClassifierSpec.HIDDEN, String.valueOf(spec.get(CnnClassifierSpec.DENSE)))
                .with(MlpClassifierSpec.ACTIVATION, "relu")
                .with(MlpClassifierSpec.MAX_LABELS, spec.get(CnnClassifierSpec.MAX_LABELS))
                .with(MlpClassifierSpec.LEARNING_RATE, spec.get(CnnClassifierSpec.LEARNING_RATE))
                .with(MlpClassifierSpec.BATCH_SIZE, spec.get(CnnClassifierSpec.BATCH_SIZE))
                .with(MlpClassifierSpec.SEED, spec.get(CnnClassifierSpec.SEED));
    }

    private static int pixels(ModelSpec spec) {
        return spec.get(CnnClassifierSpec.WIDTH)
                * spec.get(CnnClassifierSpec.HEIGHT)
                * spec.get(CnnClassifierSpec.CHANNELS);
    }

    /** Scores, then learns, one event. */
    public void accept(ImageEvent event) {
        if (startNanos < 0) {
            startNanos = System.nanoTime();
        }
        String label = event.getLabel();
        byte[] pixels = DecodeImage.pixels(event.getPixels());
        int w = event.getWidth();
        int h = event.getHeight();
        int c = event.getChannels();
        String refusal = CnnClassifierModel.refusal(learner.spec(), w, h, c, pixels);
        if (label == null) {
            unlabelled++;
        } else if (refusal != null) {
            rejectedForTraining.add(event.getId() + ": " + refusal);
        } else {
            long start = System.nanoTime();
            float[] scaled = CnnClassifierModel.scaled(pixels);
            TestedImage tested = learner.model().test(scaled, label);
            model.add(tested.predicted(), label, tested.probabilityOfActual());
            modelRecent.add(label.equals(tested.predicted()));
            drift.watch(DriftLosses.text(label.equals(tested.predicted())), learner);
            Offer offer = learner.offer(w, h, c, pixels, label);
            cnnNanos += System.nanoTime() - start;
            if (offer.status() == Offer.Status.REJECTED) {
                rejectedForTraining.add(event.getId() + ": " + offer.rejection().reason());
            }
            double[] x = new double[scaled.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = scaled[i];
            }
            testThenTrainBaselines(x, label);
        }
        endNanos = System.nanoTime();
    }

    private void testThenTrainBaselines(double[] x, String label) {
        if (MlpClassifierModel.refusal(x, x.length) == null) {
            TestedVector tested = mlp.model().test(x, label);
            mlpMetrics.add(tested.predicted(), label, tested.probabilityOfActual());
            mlpRecent.add(label.equals(tested.predicted()));
            mlp.offer(x, label);
        }
        Map<String, Double> p = logistic.probabilities(x);
        String linearPredicted = logistic.predict(x);
        linear.add(linearPredicted, label, p.getOrDefault(label, 0.0));
        linearRecent.add(label.equals(linearPredicted));
        logistic.learn(x, label);
        majorityMetrics.add(majority.predict(), label, majority.probabilityOf(label));
        majorityRecent.add(label.equals(majority.predict()));
        majority.learn(label);
    }

    /** Counts a row that never became an event (e.g. a file row that could not be read). */
    public void rejectRow(String description) {
        rejectedRows.add(description);
    }

    public ClassificationMetrics modelMetrics() {
        return model;
    }

    /** The CNN's accuracy over the last {@link #RECENT} labelled images. */
    public double recentAccuracy() {
        return modelRecent.accuracy();
    }

    /** The pixel MLP's accuracy over the last {@link #RECENT} labelled images. */
    public double mlpRecentAccuracy() {
        return mlpRecent.accuracy();
    }

    /** The online linear model's accuracy over the last {@link #RECENT} labelled images. */
    public double linearRecentAccuracy() {
        return linearRecent.accuracy();
    }

    /** The majority class's accuracy over the last {@link #RECENT} labelled images. */
    public double majorityRecentAccuracy() {
        return majorityRecent.accuracy();
    }

    /**
     * Labelled images the CNN tested and learned per second of its own time (not the baselines').
     */
    public double cnnExamplesPerSecond() {
        return cnnNanos == 0 ? 0 : model.count() / (cnnNanos / 1e9);
    }

    public CnnLearner learner() {
        return learner;
    }

    /** The report {@code streamlearn evaluate image} prints. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        double seconds = startNanos < 0 ? 0 : (endNanos - startNanos) / 1e9;
        long examples = model.count();
        r.put("kind", learner.spec().kind().id());
        r.put("examples", examples);
        r.put("unlabelled", unlabelled);
        r.put("seconds", seconds);
        r.put("examplesPerSecond", seconds > 0 ? (examples + unlabelled) / seconds : 0.0);
        r.put("modelExamplesPerSecond", cnnExamplesPerSecond());
        r.put("model", withRecent(model, modelRecent));
        r.put("mlp", withRecent(mlpMetrics, mlpRecent));
        r.put("mlpSpec", mlp.spec().toMap());
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
