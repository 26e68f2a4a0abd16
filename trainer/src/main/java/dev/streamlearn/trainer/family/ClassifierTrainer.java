package dev.streamlearn.trainer.family;

import dev.streamlearn.trainer.training.ClassifierPrequential;
import dev.streamlearn.trainer.training.DriftLosses;
import dev.streamlearn.trainer.training.DriftWatch;
import dev.streamlearn.trainer.training.ModelTrainer;
import java.util.Map;

/**
 * Test-then-train of a classifying family: each labelled example its model can read is tested
 * before it is learned ({@link #recordTest}), into the prequential figures every classifier keeps
 * ({@link ClassifierPrequential}, checkpointed with the trainer), and its 0/1 error goes to the
 * drift watch. A family's trainer adds how it tests and offers its examples.
 */
public abstract class ClassifierTrainer extends ModelTrainer {
    private final ClassifierPrequential prequential = new ClassifierPrequential();

    protected ClassifierTrainer(DriftWatch.Options drift) {
        super(drift);
    }

    /** Records the test of one labelled example, before it is learned. */
    protected final void recordTest(String predicted, double probabilityOfActual, String label) {
        prequential.add(predicted, probabilityOfActual, label);
        watchDrift(DriftLosses.text(label.equals(predicted)));
    }

    @Override
    protected final Map<String, Double> prequentialMetrics() {
        return prequential.metrics();
    }

    @Override
    protected final double[] prequentialState() {
        return prequential.state();
    }

    @Override
    public final Map<String, Long> labelCounts() {
        return prequential.labelCounts();
    }

    @Override
    protected final void restorePrequential(double[] state, Map<String, Long> counts) {
        prequential.restore(state, counts);
    }
}
