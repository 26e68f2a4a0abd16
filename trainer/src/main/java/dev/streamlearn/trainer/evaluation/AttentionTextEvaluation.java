package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.models.family.text.TestedText;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.metrics.ClassificationMetrics;
import dev.streamlearn.models.metrics.MajorityClassBaseline;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.family.attention.AttentionLearner;
import dev.streamlearn.trainer.family.attention.AttentionTextTraining;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftLosses;
import dev.streamlearn.trainer.training.DriftWatch;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prequential (test-then-train) evaluation of {@code attention-text-classifier}, exactly as {@link
 * TextEvaluation} runs the text classifier's (Dawid 1984; Gama et al. 2013): each labelled event is
 * first scored by the {@code models} kernel with the weights learned so far, then learned; the
 * majority class so far runs alongside; unlabelled events are counted, not learned; drift detection
 * and its action run as in the trainer.
 */
public final class AttentionTextEvaluation {
    private final AttentionLearner learner;
    private final ClassificationMetrics model = new ClassificationMetrics();
    private final ClassificationMetrics baseline = new ClassificationMetrics();
    private final MajorityClassBaseline majority = new MajorityClassBaseline();
    private final DriftWatch drift;
    private final Rejections rejectedRows = new Rejections();
    private final Rejections rejectedForTraining = new Rejections();
    private long unlabelled;
    private long startNanos = -1;
    private long endNanos;

    public AttentionTextEvaluation(ModelSpec spec) {
        this.learner = AttentionTextTraining.INSTANCE.newLearner(spec);
        this.drift = new DriftWatch(DriftWatch.Options.defaults(spec));
    }

    /** Scores, then learns, one event. */
    public void accept(TextEvent event) {
        if (startNanos < 0) {
            startNanos = System.nanoTime();
        }
        String label = event.getLabel();
        if (label == null) {
            unlabelled++;
        } else {
            AttentionTextModel scorer = learner.model();
            TokenizedText tokens = scorer.tokenizer().tokenize(event.getText());
            TestedText tested = scorer.test(tokens, label);
            model.add(tested.predicted(), label, tested.probabilityOfActual());
            baseline.add(majority.predict(), label, majority.probabilityOf(label));
            majority.learn(label);
            drift.watch(DriftLosses.text(label.equals(tested.predicted())), learner);
            Offer offer = learner.offer(tokens, label);
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

    public ClassificationMetrics baselineMetrics() {
        return baseline;
    }

    public AttentionLearner learner() {
        return learner;
    }

    /** The report {@code streamlearn evaluate text --model attention} prints. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        double seconds = startNanos < 0 ? 0 : (endNanos - startNanos) / 1e9;
        long examples = model.count();
        r.put("kind", learner.spec().kind().id());
        r.put("examples", examples);
        r.put("unlabelled", unlabelled);
        r.put("seconds", seconds);
        r.put("examplesPerSecond", seconds > 0 ? (examples + unlabelled) / seconds : 0.0);
        r.put("model", model.toMap());
        r.put("baseline", baseline.toMap());
        r.put("baselineName", "majority class so far");
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
}
