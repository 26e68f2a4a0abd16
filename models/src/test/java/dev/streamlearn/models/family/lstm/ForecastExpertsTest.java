package dev.streamlearn.models.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ForecastExpertsTest {
    private static final double NONE = Double.NaN;

    @Test
    void withNoErrorSeenTheWholeModelForecasts() {
        ForecastExperts experts = new ForecastExperts();

        assertThat(experts.best(new double[] {1, 2, 3})).isEqualTo(ForecastExperts.MODEL);
    }

    @Test
    void theExpertWithTheLowestRecentErrorForecastsAndTheModelWinsTies() {
        ForecastExperts experts = new ForecastExperts();
        // value 10: the model is 1 off, the linear part 0.5, persistence 2
        experts.update(new double[] {9, 9.5, 8}, 10);
        assertThat(experts.best(new double[] {1, 2, 3})).isEqualTo(ForecastExperts.LINEAR);

        ForecastExperts tied = new ForecastExperts();
        tied.update(new double[] {9, 9, 9}, 10);
        assertThat(tied.best(new double[] {1, 2, 3})).isEqualTo(ForecastExperts.MODEL);
    }

    @Test
    void anExpertWithoutAForecastIsPassedOverAndItsErrorLeftAsItWas() {
        ForecastExperts experts = new ForecastExperts();
        experts.update(new double[] {9, NONE, 8}, 10);

        assertThat(experts.state().mae()).containsExactly(1, 0, 2);
        assertThat(experts.best(new double[] {1, NONE, 3}))
                .as("the linear part's 0 is no evidence")
                .isEqualTo(ForecastExperts.MODEL);
    }

    @Test
    void recentErrorsFadeWithTheHalfLifeSoALongLeadIsLostInTime() {
        ForecastExperts experts = new ForecastExperts();
        for (int i = 0; i < 100; i++) {
            experts.update(new double[] {10, 10, 11}, 10); // the model exact, persistence 1 off
        }
        int points = 0;
        while (experts.best(new double[] {1, 2, 3}) == ForecastExperts.MODEL) {
            experts.update(
                    new double[] {8, 8, 10}, 10); // now the model is 2 off, persistence exact
            points++;
        }

        // model: 2 (1 - q^n), persistence: q^n, with q^20 = 1/2: they cross at q^n = 2/3
        assertThat(points).isEqualTo((int) Math.ceil(Math.log(2.0 / 3) / Math.log(0.5) * 20));
    }

    @Test
    void aRestoredStateContinuesExactlyAndABadOneIsRefusedNamingWhy() {
        ForecastExperts original = new ForecastExperts();
        original.update(new double[] {9, 9.5, 8}, 10);
        ForecastExperts restored = ForecastExperts.restore(original.state());
        original.update(new double[] {3, 4, 5}, 4);
        restored.update(new double[] {3, 4, 5}, 4);

        assertThat(restored.state().mae()).containsExactly(original.state().mae());
        assertThat(restored.state().count()).isEqualTo(2);
        assertThat(restored.state().mae()[ForecastExperts.MODEL]).isCloseTo(1, within(1e-12));
        assertThatThrownBy(
                        () -> ForecastExperts.restore(new ForecastExperts.State(new double[2], 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds 2 errors after 1 points, expected 3");
        assertThat(ForecastExperts.name(ForecastExperts.PERSISTENCE)).isEqualTo("persistence");
    }
}
