package dev.streamlearn.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeriesBaselinesTest {

    @Test
    void aDetectedSeasonTakesOverTheSeasonalNaiveForecastWithTheWholeHistory() {
        // Given a weekly cycle with a little irregularity, so differences are not all alike
        double[] week = {10, 14, 13, 12, 13, 5, 4};
        SeriesBaselines baselines = new SeriesBaselines(3, 1.0, 0);
        for (int t = 0; t < SeasonDetector.FIRST_LOOK; t++) {
            double value = week[t % 7] + (t % 5 == 0 ? 0.5 : 0);
            // Then before the season is known it is persistence
            if (t > 0) {
                assertThat(baselines.forecastNext().seasonalNaive())
                        .isEqualTo(baselines.forecastNext().persistence());
            }
            baselines.observe(value);
        }

        assertThat(baselines.season())
                .isEqualTo(new Season(7, Season.Source.DETECTED, SeasonDetector.FIRST_LOOK));
        // the value 7 points before point 64 is point 57
        assertThat(baselines.forecastNext().seasonalNaive())
                .isEqualTo(week[57 % 7] + (57 % 5 == 0 ? 0.5 : 0));
        assertThat(baselines.forecastNext().persistence()).isEqualTo(week[63 % 7]);
    }

    @Test
    void aDeclaredSeasonIsUsedFromTheStart() {
        SeriesBaselines baselines = new SeriesBaselines(2, 1.0, 3);
        for (double v : new double[] {1, 2, 3, 4}) {
            baselines.observe(v);
        }
        assertThat(baselines.season()).isEqualTo(Season.declared(3));
        assertThat(baselines.forecastNext().seasonalNaive()).isEqualTo(2);
    }
}
