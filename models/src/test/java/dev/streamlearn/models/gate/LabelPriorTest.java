package dev.streamlearn.models.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LabelPriorTest {
    @Test
    void beforeAnyLabelEveryLabelIsEquallyLikely() {
        assertThat(new LabelPrior().probability("spam", 2)).isEqualTo(0.5);
        assertThat(Losses.logLoss(new LabelPrior().probability("spam", 2)))
                .isCloseTo(Math.log(2), within(1e-12));
    }

    @Test
    void itPredictsTheRecentLabelMixWithLaplaceSmoothing() {
        LabelPrior prior = new LabelPrior();
        for (int i = 0; i < 9; i++) {
            prior.learn("ham");
        }
        prior.learn("spam");

        // Counts decay a little per event; the mix stays close to 9:1, plus one each.
        assertThat(prior.probability("ham", 2)).isCloseTo(10.0 / 12, within(0.01));
        assertThat(prior.probability("spam", 2)).isCloseTo(2.0 / 12, within(0.01));
        assertThat(prior.probability("ham", 2) + prior.probability("spam", 2))
                .isCloseTo(1, within(1e-12));
    }

    @Test
    void aLabelsCountHalvesEveryHalfLife() {
        LabelPrior prior = new LabelPrior();
        prior.learn("spam");
        for (int i = 0; i < LabelPrior.HALF_LIFE; i++) {
            prior.learn("ham");
        }
        LabelPrior one = new LabelPrior();
        one.learn("spam");
        // spam's count is 0.5 of a total of 0.5 + (ham's geometric sum)
        double ham = (1 - 0.5) / (1 - Math.pow(0.5, 1.0 / LabelPrior.HALF_LIFE));
        assertThat(prior.probability("spam", 2)).isCloseTo(1.5 / (0.5 + ham + 2), within(1e-6));
        assertThat(one.probability("spam", 2)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void itCarriesThroughAStore() {
        LabelPrior prior = new LabelPrior();
        prior.learn("ham");
        prior.learn("späm");
        LabelPrior restored = LabelPrior.decode(prior.encode());

        assertThat(restored.probability("späm", 2)).isEqualTo(prior.probability("späm", 2));
        assertThat(restored.encode()).isEqualTo(prior.encode());
        assertThat(LabelPrior.decode(null).probability("x", 4)).isEqualTo(0.25);
        assertThat(new LabelPrior().probability("x", 0)).as("no label set known").isEqualTo(1);
    }
}
