package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.text.TestedText;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.metrics.ClassificationMetrics;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.family.text.TextClassifierTraining;
import dev.streamlearn.trainer.family.text.TextLearner;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.training.DriftLosses;
import dev.streamlearn.trainer.training.DriftWatch;
import java.util.Map;

/**
 * Prequential (test-then-train) evaluation of {@code text-classifier} (Dawid 1984; Gama et al.
 * 2013): each labelled event is first scored by the {@code models} kernel with the weights learned
 * so far, then learned. The majority-class-so-far baseline runs alongside on the same events.
 * Unlabelled events are scored and counted, not learned. Drift detection and its action run as in
 * the trainer ({@link DriftWatch}).
 */
public final class TextEvaluation {
    private final TextLearner learner;
    private final TextRecords records = new TextRecords();
    private final DriftWatch drift;
    private final PrequentialPass pass = new PrequentialPass();

    public TextEvaluation(ModelSpec spec) {
        this.learner = TextClassifierTraining.INSTANCE.newLearner(spec);
        this.drift = new DriftWatch(DriftWatch.Options.defaults(spec));
    }

    /** Scores, then learns, one event. */
    public void accept(TextEvent event) {
        pass.arrived();
        String label = event.getLabel();
        if (label == null) {
            pass.unlabelled();
        } else {
            TextClassifierModel scorer = learner.model();
            TokenizedText tokens = scorer.tokenizer().tokenize(event.getText());
            TestedText tested = scorer.test(tokens, label);
            records.add(tested, label);
            drift.watch(DriftLosses.text(label.equals(tested.predicted())), learner);
            Offer offer = learner.offer(tokens, label);
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
        return records.model();
    }

    public ClassificationMetrics baselineMetrics() {
        return records.baseline();
    }

    public TextLearner learner() {
        return learner;
    }

    /** The trainer's drift watch, run on the same events. */
    public DriftWatch drift() {
        return drift;
    }

    /** The report {@code streamlearn evaluate text} prints. */
    public Map<String, Object> report() {
        Map<String, Object> r = pass.reportHead(learner, records.model().count());
        records.putInto(r);
        pass.reportTail(r, drift, learner);
        return r;
    }
}
