package dev.streamlearn.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.schemas.avro.ImageEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's MNIST goal, one prequential pass over {@code datasets/mnist-8k.csv.gz} in file order
 * with the default spec's fixed seed: the CNN's accuracy over the last 1,000 digits is at least
 * 0.95 and above both an {@code mlp-classifier} on the 784 pixels and an online linear model on the
 * same images, tested and trained alike.
 */
class MnistGoalTest {

    @Test
    void theCnnLearnsDigitsBetterThanADenseNetworkAndALinearModel() {
        // Given the 8,000 digits and the default cnn-classifier
        List<ImageEvent> digits = MnistCsv.read(8_000);
        ImageEvaluation evaluation = new ImageEvaluation(CnnClassifierSpec.defaults());

        // When each is tested, then learned
        for (ImageEvent digit : digits) {
            evaluation.accept(digit);
        }

        // Then the CNN has learned them, better than both baselines
        System.err.printf(
                "MNIST 8k last 1,000: cnn %.4f, mlp %.4f, online logistic regression %.4f,"
                        + " majority %.4f; cnn %.0f examples/s%n",
                evaluation.recentAccuracy(),
                evaluation.mlpRecentAccuracy(),
                evaluation.linearRecentAccuracy(),
                evaluation.majorityRecentAccuracy(),
                evaluation.cnnExamplesPerSecond());
        assertThat(evaluation.modelMetrics().count()).isEqualTo(8_000);
        assertThat(evaluation.recentAccuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(evaluation.recentAccuracy()).isGreaterThan(evaluation.mlpRecentAccuracy());
        assertThat(evaluation.recentAccuracy()).isGreaterThan(evaluation.linearRecentAccuracy());
    }
}
