package dev.streamlearn.trainer.evaluation;

import dev.streamlearn.models.family.text.TestedText;
import dev.streamlearn.models.metrics.ClassificationMetrics;
import dev.streamlearn.models.metrics.MajorityClassBaseline;
import java.util.Map;

/**
 * The records of a text classifier's prequential pass: its own metrics and those of the majority
 * class so far, the baseline both text families are reported against, tested on the same events.
 */
final class TextRecords {
    private final ClassificationMetrics model = new ClassificationMetrics();
    private final ClassificationMetrics baseline = new ClassificationMetrics();
    private final MajorityClassBaseline majority = new MajorityClassBaseline();

    /** Records the model's test of one labelled event, then tests and trains the baseline. */
    void add(TestedText tested, String label) {
        model.add(tested.predicted(), label, tested.probabilityOfActual());
        baseline.add(majority.predict(), label, majority.probabilityOf(label));
        majority.learn(label);
    }

    ClassificationMetrics model() {
        return model;
    }

    ClassificationMetrics baseline() {
        return baseline;
    }

    /** The report's {@code model}, {@code baseline} and {@code baselineName} entries. */
    void putInto(Map<String, Object> r) {
        r.put("model", model.toMap());
        r.put("baseline", baseline.toMap());
        r.put("baselineName", "majority class so far");
    }
}
