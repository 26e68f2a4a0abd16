package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.family.cnn.TestedImage;
import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.family.mlp.OnlineLogisticRegression;
import dev.streamlearn.models.family.mlp.TestedVector;
import dev.streamlearn.models.metrics.ClassificationMetrics;
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
    private final ClassifierRecord model = new ClassifierRecord(RECENT);
    private final ClassifierRecord mlpRecord = new ClassifierRecord(RECENT);
    private final ClassifierBaselines baselines;
    private final DriftWatch drift;
    private final PrequentialPass pass = new PrequentialPass();
    private long cnnNanos;

    public ImageEvaluation(ModelSpec spec) {
        this.learner = CnnClassifierTraining.INSTANCE.newLearner(spec);
        this.mlp = MlpClassifierTraining.INSTANCE.newLearner(mlpSpec(spec));
        this.baselines = new ClassifierBaselines(pixels(spec), LINEAR_LEARNING_RATE, RECENT);
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
        pass.arrived();
        String label = event.getLabel();
        byte[] pixels = DecodeImage.pixels(event.getPixels());
        int w = event.getWidth();
        int h = event.getHeight();
        int c = event.getChannels();
        String refusal = CnnClassifierModel.refusal(learner.spec(), w, h, c, pixels);
        if (label == null) {
            pass.unlabelled();
        } else if (refusal != null) {
            pass.rejectForTraining(event.getId() + ": " + refusal);
        } else {
            long start = System.nanoTime();
            float[] scaled = CnnClassifierModel.scaled(pixels);
            TestedImage tested = learner.model().test(scaled, label);
            model.add(tested.predicted(), label, tested.probabilityOfActual());
            drift.watch(DriftLosses.text(label.equals(tested.predicted())), learner);
            Offer offer = learner.offer(w, h, c, pixels, label);
            cnnNanos += System.nanoTime() - start;
            if (offer.status() == Offer.Status.REJECTED) {
                pass.rejectForTraining(event.getId() + ": " + offer.rejection().reason());
            }
            double[] x = new double[scaled.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = scaled[i];
            }
            if (MlpClassifierModel.refusal(x, x.length) == null) {
                TestedVector mlpTested = mlp.model().test(x, label);
                mlpRecord.add(mlpTested.predicted(), label, mlpTested.probabilityOfActual());
                mlp.offer(x, label);
            }
            baselines.testThenTrain(x, label);
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

    /** The CNN's accuracy over the last {@link #RECENT} labelled images. */
    public double recentAccuracy() {
        return model.recentAccuracy();
    }

    /** The pixel MLP's accuracy over the last {@link #RECENT} labelled images. */
    public double mlpRecentAccuracy() {
        return mlpRecord.recentAccuracy();
    }

    /** The online linear model's accuracy over the last {@link #RECENT} labelled images. */
    public double linearRecentAccuracy() {
        return baselines.linear().recentAccuracy();
    }

    /** The majority class's accuracy over the last {@link #RECENT} labelled images. */
    public double majorityRecentAccuracy() {
        return baselines.majority().recentAccuracy();
    }

    /**
     * Labelled images the CNN tested and learned per second of its own time (not the baselines').
     */
    public double cnnExamplesPerSecond() {
        return cnnNanos == 0 ? 0 : model.metrics().count() / (cnnNanos / 1e9);
    }

    public CnnLearner learner() {
        return learner;
    }

    /** The report {@code streamlearn evaluate image} prints. */
    public Map<String, Object> report() {
        Map<String, Object> r = pass.reportHead(learner, model.metrics().count());
        r.put("modelExamplesPerSecond", cnnExamplesPerSecond());
        r.put("model", model.toMap());
        r.put("mlp", mlpRecord.toMap());
        r.put("mlpSpec", mlp.spec().toMap());
        baselines.report(r);
        pass.reportTail(r, drift, learner);
        return r;
    }
}
