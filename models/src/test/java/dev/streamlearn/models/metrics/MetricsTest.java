package dev.streamlearn.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void regressionMetricsAreMeansOfAbsoluteAndSquaredErrors() {
        RegressionMetrics m = new RegressionMetrics(0.5);
        m.add(1);
        m.add(-3);
        assertThat(m.mae()).isEqualTo(2);
        assertThat(m.rmse()).isCloseTo(Math.sqrt(5), within(1e-12));
        // fading: S = 3 + 0.5*1, N = 1 + 0.5
        assertThat(m.fadingMae()).isCloseTo(3.5 / 1.5, within(1e-12));
    }

    @Test
    void restoredMeansContinueExactlyAsIfNeverSaved() {
        PrequentialMean kept = new PrequentialMean(0.9);
        PrequentialMean other = new PrequentialMean(0.9);
        for (double loss : new double[] {1, 4, 2}) {
            kept.add(loss);
            other.add(10 * loss);
        }
        double[] saved = PrequentialMean.saveAll(kept, other);

        PrequentialMean restored = new PrequentialMean(0.9);
        PrequentialMean restoredOther = new PrequentialMean(0.9);
        PrequentialMean.restoreAll(saved, restored, restoredOther);
        kept.add(7);
        restored.add(7);

        assertThat(restored.count()).isEqualTo(4);
        assertThat(restored.mean()).isEqualTo(kept.mean());
        assertThat(restored.fadingMean()).isEqualTo(kept.fadingMean());
        assertThat(restoredOther.mean()).isEqualTo(other.mean());
        assertThatThrownBy(() -> PrequentialMean.restoreAll(saved, restored))
                .hasMessageContaining("saved state holds 8 values, expected 4");
    }

    @Test
    void fadingMetricsFollowTheRecentPastAllTimeMetricsTheWholeStream() {
        ClassificationMetrics m = new ClassificationMetrics(0.9);
        for (int i = 0; i < 200; i++) {
            m.add("a", i < 100 ? "b" : "a", i < 100 ? 0.1 : 0.9);
        }
        assertThat(m.accuracy()).isEqualTo(0.5);
        assertThat(m.fadingAccuracy()).isGreaterThan(0.99);
        assertThat(m.logLoss()).isCloseTo((-Math.log(0.1) - Math.log(0.9)) / 2, within(1e-12));
    }

    @Test
    void anUnlearnedLabelCostsALargeButFiniteLogLoss() {
        ClassificationMetrics m = new ClassificationMetrics();
        m.add(null, "new", 0);
        assertThat(m.logLoss()).isCloseTo(-Math.log(1e-15), within(1e-9));
        assertThat(m.accuracy()).isZero();
    }

    @Test
    void majorityBaselinePredictsTheMostFrequentLabelSoFar() {
        MajorityClassBaseline b = new MajorityClassBaseline();
        assertThat(b.predict()).isNull();
        b.learn("ham");
        b.learn("spam");
        b.learn("spam");
        assertThat(b.predict()).isEqualTo("spam");
        assertThat(b.probabilityOf("spam")).isEqualTo(3.0 / 5);
        assertThat(b.probabilityOf("eggs")).isZero();
    }

    @Test
    void aucIsTheProbabilityThatAPositiveOutscoresANegativeWithTiesCountingHalf() {
        RocAuc auc = new RocAuc();
        auc.add(0.9, true);
        auc.add(0.5, true);
        auc.add(0.5, false);
        auc.add(0.1, false);
        // pairs: (0.9>0.5) (0.9>0.1) (0.5=0.5: half) (0.5>0.1) → 3.5 / 4
        assertThat(auc.auc()).isEqualTo(0.875);
    }

    @Test
    void aucIsUndefinedWithoutBothClasses() {
        RocAuc auc = new RocAuc();
        auc.add(1, false);
        assertThat(auc.auc()).isNaN();
    }

    @Test
    void aRunOfLargeErrorsKeepsScoringHighBecauseTheScaleAdaptsSlowlyAndClipped() {
        AnomalyScorer scorer = new AnomalyScorer(1000, 3);
        for (int i = 0; i < 500; i++) {
            scorer.scoreAndUpdate(1.0);
        }
        double first = scorer.scoreAndUpdate(50);
        double last = 0;
        for (int i = 0; i < 100; i++) {
            last = scorer.scoreAndUpdate(50);
        }
        assertThat(first).isEqualTo(50);
        assertThat(last).isGreaterThan(30);
    }
}
