package dev.streamlearn.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.Learner;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.Offer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftWatchTest {
    /** Remembers the learning rate factors it was given; learns nothing. */
    private static final class RateLog implements Learner {
        final List<Double> factors = new ArrayList<>();

        @Override
        public void scaleLearningRate(double factor) {
            factors.add(factor);
        }

        double current() {
            return factors.isEmpty() ? 1 : factors.get(factors.size() - 1);
        }

        @Override
        public ModelSpec spec() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ModelWeights weights() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long examplesSeen() {
            return 0;
        }

        @Override
        public long fits() {
            return 0;
        }

        @Override
        public long reverts() {
            return 0;
        }

        @Override
        public int pendingExamples() {
            return 0;
        }

        @Override
        public void batchSize(int size) {}

        @Override
        public Offer flush() {
            throw new UnsupportedOperationException();
        }

        @Override
        public LearnerSnapshot snapshot() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void startFrom(ModelWeights weights) {}
    }

    /** 0/1 errors: 5% for {@code changeAt} examples, then 60%. */
    private static double[] errors(int n, int changeAt) {
        Random random = new Random(11);
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = random.nextDouble() < (i < changeAt ? 0.05 : 0.6) ? 1 : 0;
        }
        return xs;
    }

    @Test
    void aDriftBoostsTheLearningRateForItsExamplesThenRestoresIt() {
        // Given the trainer's defaults and a classifier whose error jumps at example 2,001
        DriftWatch watch = new DriftWatch(DriftWatch.Options.defaults());
        RateLog learner = new RateLog();
        double[] xs = errors(4_000, 2_000);
        List<Long> detected = new ArrayList<>();
        long boostedExamples = 0;

        // When every example's error is watched before it is learned
        for (double x : xs) {
            DriftWatch.Detection d = watch.watch(x, learner);
            if (d != null) {
                detected.add(d.example());
            }
            if (learner.current() != 1) {
                boostedExamples++;
            }
        }

        // Then one drift is detected within 300 examples of the change
        assertThat(detected).hasSize(1);
        assertThat(detected.get(0)).isBetween(2_001L, 2_300L);
        DriftWatch.Detection d = watch.last();
        assertThat(d.statistic()).isGreaterThan(0.1);
        // (ADWIN cuts its window at bucket boundaries: the estimate may hold older examples)
        assertThat(d.sinceChange()).isBetween(d.example() - 2_000, 512L);
        assertThat(d.action()).isEqualTo("learning rate x10.0 for 500 examples");
        // And the learner relearned at 10x for exactly 500 examples, then at its own rate
        assertThat(learner.factors).containsExactly(10.0, 1.0);
        assertThat(boostedExamples).isEqualTo(500);
        // And the metrics say so
        Map<String, Double> metrics = new LinkedHashMap<>();
        watch.putMetrics(metrics);
        assertThat(metrics)
                .containsEntry("drift.detections", 1.0)
                .containsEntry("drift.lastExample", (double) d.example())
                .containsEntry("drift.boostedExamplesLeft", 0.0);
    }

    @Test
    void theWarmUpIsNotWatched() {
        // Given a model that starts out wrong on everything, then is right
        DriftWatch watch = new DriftWatch(DriftWatch.Options.defaults());
        RateLog learner = new RateLog();

        for (int i = 0; i < 3_000; i++) {
            assertThat(watch.watch(i < DriftWatch.Options.DEFAULT_WARM_UP ? 1 : 0, learner))
                    .isNull();
        }
        assertThat(learner.factors).isEmpty();
    }

    @Test
    void aForecasterDriftIsRecordedWithoutAnAction() {
        DriftWatch watch = new DriftWatch(DriftWatch.Options.defaults().withBoost(1, 0));
        RateLog learner = new RateLog();

        for (double x : errors(4_000, 2_000)) {
            watch.watch(x, learner);
        }

        assertThat(watch.detections()).isEqualTo(1);
        assertThat(watch.last().action()).isEqualTo("none (recorded only)");
        assertThat(learner.factors).isEmpty();
    }

    @Test
    void aRestoreInTheMiddleOfABoostContinuesIt() {
        // Given one watch run through, and one stopped 100 examples into its boost
        double[] xs = errors(4_000, 2_000);
        DriftWatch whole = new DriftWatch(DriftWatch.Options.defaults());
        RateLog wholeLearner = new RateLog();
        long detectedAt = -1;
        for (int i = 0; i < xs.length; i++) {
            if (whole.watch(xs[i], wholeLearner) != null) {
                detectedAt = i;
            }
        }
        int stopAt = (int) detectedAt + 100;
        DriftWatch first = new DriftWatch(DriftWatch.Options.defaults());
        RateLog firstLearner = new RateLog();
        for (int i = 0; i < stopAt; i++) {
            first.watch(xs[i], firstLearner);
        }

        // When a new watch restores its state and resumes a fresh learner
        DriftWatch restored = new DriftWatch(DriftWatch.Options.defaults());
        restored.restore(first.state());
        RateLog restoredLearner = new RateLog();
        restored.resume(restoredLearner);
        for (int i = stopAt; i < xs.length; i++) {
            restored.watch(xs[i], restoredLearner);
        }

        // Then the learner is boosted again at once and set back when the boost is due to end
        assertThat(restoredLearner.factors).containsExactly(10.0, 1.0);
        assertThat(restored.state()).containsExactly(whole.state());
        assertThat(restored.last()).isEqualTo(whole.last());
    }
}
