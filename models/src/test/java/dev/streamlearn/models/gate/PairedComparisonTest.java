package dev.streamlearn.models.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.gate.PairedComparison.Outcome;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {
    private static final GateOptions OPTIONS = GateOptions.defaults();

    @Test
    void theDefaultsAreFiftyEventsToSixteenHundredFivePercentAtLeastTwoOfTheBaselineAt99Percent() {
        assertThat(OPTIONS).isEqualTo(new GateOptions(50, 1_600, 0.05, 0.99, 0.02));
        assertThat(new GateOptions(50, 1_600, 0.05, 0.99)).isEqualTo(OPTIONS);
        assertThat(OPTIONS.looks()).isEqualTo(6);
        assertThat(OPTIONS.isLook(50)).isTrue();
        assertThat(OPTIONS.isLook(100)).isTrue();
        assertThat(OPTIONS.isLook(150)).isFalse();
        assertThat(OPTIONS.isLook(200)).isTrue();
        assertThat(OPTIONS.isLook(300)).isFalse();
        assertThat(OPTIONS.isLook(1_600)).isTrue();
        assertThat(new GateOptions(100, 1_000, 0.05, 0.99).looks()).isEqualTo(5);
        assertThat(new GateOptions(100, 1_000, 0.05, 0.99).isLook(1_000)).isTrue();
    }

    @Test
    void eachLookUsesTheBonferroniShareOfTheError() {
        // 1 - 0.01 / 6 = 0.99833: z = 2.9352 (tables).
        assertThat(OPTIONS.z()).isCloseTo(2.9352, within(1e-4));
        // 1 - 0.01 / 5 = 0.998: z = 2.8782.
        assertThat(new GateOptions(100, 1_600, 0.05, 0.99).z()).isCloseTo(2.8782, within(1e-4));
        assertThat(Normal.quantile(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(Normal.quantile(0.001)).isCloseTo(-3.090232, within(1e-6));
    }

    @Test
    void aVersionThatAgreesWithTheOtherOnEveryEventIsNotWorseAtTheFirstLook() {
        PairedComparison c = new PairedComparison(OPTIONS);
        Random random = new Random(1);
        Outcome outcome = Outcome.CONTINUE;
        for (int i = 0; i < OPTIONS.minEvents(); i++) {
            double loss = random.nextDouble();
            outcome = c.add(loss, loss);
            if (i < OPTIONS.minEvents() - 1) {
                assertThat(outcome).isEqualTo(Outcome.CONTINUE);
            }
        }
        assertThat(outcome).isEqualTo(Outcome.NOT_WORSE);
    }

    @Test
    void aMuchWorseVersionIsWorseAtTheFirstLookWithItsEvidence() {
        PairedComparison c = new PairedComparison(OPTIONS);
        Random random = new Random(2);
        Outcome outcome = Outcome.CONTINUE;
        for (int i = 0; i < OPTIONS.minEvents(); i++) {
            double good = 0.3 * random.nextDouble();
            outcome = c.add(good + 1 + random.nextDouble(), good);
        }
        assertThat(outcome).isEqualTo(Outcome.WORSE);
        PairedComparison.Evidence e = c.evidence();
        assertThat(e.events()).isEqualTo(50);
        assertThat(e.lowerBound()).isGreaterThan(e.allowed());
        assertThat(e.meanDifference()).isCloseTo(1.5, within(0.1));
    }

    @Test
    void aVersionWorseByExactlyTheMarginIsUndecidedUntilTheLastLook() {
        PairedComparison c = new PairedComparison(OPTIONS);
        Outcome outcome = Outcome.CONTINUE;
        for (int i = 0; i < 1_600; i++) {
            double against = 1.0;
            // Mean difference 0.05 = margin x 1.0 at every look, with noise around it: neither
            // bound clears it.
            outcome = c.add(against + 0.05 + (i % 2 == 0 ? 0.5 : -0.5), against);
            if (i < 1_599) {
                assertThat(outcome)
                        .as("event %d: %s", i + 1, c.evidence())
                        .isEqualTo(Outcome.CONTINUE);
            }
        }
        assertThat(outcome).isEqualTo(Outcome.UNDECIDED_AT_MAX);
    }

    @Test
    void aSlightlyBetterNoisyVersionIsNotWorseBeforeTheLastLook() {
        PairedComparison c = new PairedComparison(OPTIONS);
        Random random = new Random(4);
        Outcome outcome = Outcome.CONTINUE;
        int n = 0;
        while (outcome == Outcome.CONTINUE) {
            double against = 0.5 + random.nextDouble();
            outcome = c.add(against - 0.02 + 0.2 * random.nextGaussian(), against);
            n++;
        }
        assertThat(outcome).isEqualTo(Outcome.NOT_WORSE);
        assertThat(n).isLessThan(1_600);
    }

    @Test
    void aNearlyAlwaysRightVersionIsJudgedOnTheBaselinesScale() {
        // Given a serving version losing 0.05 per event and a candidate losing 0.06, both far
        // better than a baseline losing 0.7: 20% worse in relative terms, 1.4% of the baseline.
        Random random = new Random(5);
        PairedComparison withBaseline = new PairedComparison(OPTIONS);
        PairedComparison without = new PairedComparison(OPTIONS);
        Outcome withOutcome = Outcome.CONTINUE;
        Outcome withoutOutcome = Outcome.CONTINUE;
        for (int i = 0; i < OPTIONS.minEvents(); i++) {
            double against = 0.05 + 0.02 * random.nextGaussian();
            double candidate = against + 0.01 + 0.005 * random.nextGaussian();
            withOutcome = withBaseline.add(candidate, against, 0.7);
            withoutOutcome = without.add(candidate, against);
        }

        // Then it is not worse on the baseline's scale, and worse on its own alone
        assertThat(withOutcome).isEqualTo(Outcome.NOT_WORSE);
        assertThat(withBaseline.evidence().allowed()).isCloseTo(0.02 * 0.7, within(1e-12));
        assertThat(withBaseline.evidence().baselineLoss()).isCloseTo(0.7, within(1e-12));
        assertThat(withoutOutcome).isEqualTo(Outcome.WORSE);
        assertThat(without.evidence().allowed())
                .isCloseTo(0.05 * without.evidence().againstLoss(), within(1e-12));
        assertThat(without.evidence().baselineLoss()).isNaN();
    }

    @Test
    void aBaselineMissingOnSomeEventsSetsNoFloor() {
        PairedComparison c = new PairedComparison(OPTIONS);
        for (int i = 0; i < 10; i++) {
            c.add(1.1, 1.0, i == 0 ? Double.NaN : 100);
        }
        assertThat(c.evidence().allowed()).isCloseTo(0.05, within(1e-12));
        assertThat(c.evidence().baselineLoss()).isEqualTo(100);
    }

    @Test
    void itsStateCarriesItThroughAStore() {
        PairedComparison c = new PairedComparison(OPTIONS);
        for (int i = 0; i < OPTIONS.minEvents() - 1; i++) {
            c.add(i % 3, i % 2, i % 5);
        }
        PairedComparison restored = PairedComparison.restore(OPTIONS, c.state());

        assertThat(restored.state()).isEqualTo(c.state());
        assertThat(restored.add(1, 1, 2)).isEqualTo(c.add(1, 1, 2));
        assertThat(restored.evidence()).isEqualTo(c.evidence());
    }

    @Test
    void aLossThatIsNotFiniteIsRefused() {
        assertThatThrownBy(() -> new PairedComparison(OPTIONS).add(Double.NaN, 1))
                .hasMessageContaining("losses must be finite");
    }

    @Test
    void lossesAreCrossEntropyAndScaledAbsoluteError() {
        assertThat(Losses.logLoss(1)).isZero();
        assertThat(Losses.logLoss(0)).isCloseTo(-Math.log(1e-6), within(1e-12));
        assertThat(Losses.scaledAbsoluteError(12, 10, new double[] {8, 9, 10}))
                .as("mean step 1, error 2")
                .isEqualTo(2.0);
        assertThat(Losses.persistenceError(12, new double[] {8, 9, 10}))
                .as("persistence forecasts 10: error 2 over mean step 1")
                .isEqualTo(2.0);
        assertThat(Losses.persistenceError(12, new double[0])).isNaN();
    }
}
