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
    void theDefaultsAreAHundredEventsToSixteenHundredFivePercentAt99Percent() {
        assertThat(OPTIONS).isEqualTo(new GateOptions(100, 1_600, 0.05, 0.99));
        assertThat(OPTIONS.looks()).isEqualTo(5);
        assertThat(OPTIONS.isLook(100)).isTrue();
        assertThat(OPTIONS.isLook(200)).isTrue();
        assertThat(OPTIONS.isLook(300)).isFalse();
        assertThat(OPTIONS.isLook(1_600)).isTrue();
        assertThat(new GateOptions(100, 1_000, 0.05, 0.99).looks()).isEqualTo(5);
        assertThat(new GateOptions(100, 1_000, 0.05, 0.99).isLook(1_000)).isTrue();
    }

    @Test
    void eachLookUsesTheBonferroniShareOfTheError() {
        // 1 - 0.01 / 5 = 0.998: z = 2.8782 (tables).
        assertThat(OPTIONS.z()).isCloseTo(2.8782, within(1e-4));
        assertThat(Normal.quantile(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(Normal.quantile(0.001)).isCloseTo(-3.090232, within(1e-6));
    }

    @Test
    void aVersionThatAgreesWithTheOtherOnEveryEventIsNotWorseAtTheFirstLook() {
        PairedComparison c = new PairedComparison(OPTIONS);
        Random random = new Random(1);
        Outcome outcome = Outcome.CONTINUE;
        for (int i = 0; i < 100; i++) {
            double loss = random.nextDouble();
            outcome = c.add(loss, loss);
            if (i < 99) {
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
        for (int i = 0; i < 100; i++) {
            double good = 0.3 * random.nextDouble();
            outcome = c.add(good + 1 + random.nextDouble(), good);
        }
        assertThat(outcome).isEqualTo(Outcome.WORSE);
        PairedComparison.Evidence e = c.evidence();
        assertThat(e.events()).isEqualTo(100);
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
    void itsStateCarriesItThroughAStore() {
        PairedComparison c = new PairedComparison(OPTIONS);
        for (int i = 0; i < 99; i++) {
            c.add(i % 3, i % 2);
        }
        PairedComparison restored = PairedComparison.restore(OPTIONS, c.state());

        assertThat(restored.state()).isEqualTo(c.state());
        assertThat(restored.add(1, 1)).isEqualTo(c.add(1, 1));
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
    }
}
