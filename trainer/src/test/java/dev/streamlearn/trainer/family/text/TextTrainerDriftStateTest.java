package dev.streamlearn.trainer.family.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.metrics.PrequentialMean;
import dev.streamlearn.models.metrics.RegressionMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drift watch rides in the trainer's metrics state without breaking older checkpoints. */
class TextTrainerDriftStateTest {

    @Test
    void aCheckpointFromBeforeDriftDetectionRestoresWithAFreshWatch() {
        // Given the four prequential means alone, as checkpoints held them before drift detection
        PrequentialMean correct = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
        PrequentialMean logLoss = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
        PrequentialMean baselineCorrect = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
        PrequentialMean baselineLogLoss = new PrequentialMean(RegressionMetrics.DEFAULT_FADING);
        for (int i = 0; i < 10; i++) {
            correct.add(i < 7 ? 1 : 0);
            logLoss.add(0.5);
            baselineCorrect.add(i < 6 ? 1 : 0);
            baselineLogLoss.add(0.7);
        }
        double[] old = PrequentialMean.saveAll(correct, logLoss, baselineCorrect, baselineLogLoss);

        // When a trainer restores them
        TextTrainer trainer = new TextTrainer(TextClassifierSpec.defaults());
        trainer.restoreMetrics(old, Map.of("ham", 6L, "spam", 4L));

        // Then the means are as they were and the drift watch starts with nothing detected
        assertThat(trainer.metrics())
                .containsEntry("examples", 10.0)
                .containsEntry("accuracy", 0.7)
                .containsEntry("baseline.accuracy", 0.6)
                .containsEntry("drift.detections", 0.0);

        // And its own state, the watch included, restores to the same metrics
        TextTrainer again = new TextTrainer(TextClassifierSpec.defaults());
        again.restoreMetrics(trainer.metricsState(), trainer.labelCounts());
        assertThat(again.metrics()).isEqualTo(trainer.metrics());
        assertThat(again.metricsState()).containsExactly(trainer.metricsState());
    }
}
