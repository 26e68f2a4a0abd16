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

    @Test
    void savedBaselinesContinueWithIdenticalForecastsBeforeAndAfterTheSeasonIsFound() {
        // Given a weekly pattern with noise, whose season is found at the first look (64 points)
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        double[] series = new double[200];
        for (int t = 0; t < series.length; t++) {
            series[t] = 100 + 10 * ((t % 7) == 5 ? 1 : 0) + random.nextGaussian();
        }
        for (int split : new int[] {0, 1, 20, 63, 64, 65, 150}) {
            SeriesBaselines uninterrupted = new SeriesBaselines(8, 1.0, 0);
            SeriesBaselines first = new SeriesBaselines(8, 1.0, 0);
            for (int t = 0; t < split; t++) {
                uninterrupted.observe(series[t]);
                first.observe(series[t]);
            }
            // When one is saved and restored
            SeriesBaselines continued = SeriesBaselines.restore(first.save());
            // Then it forecasts exactly as the one never interrupted
            for (int t = split; t < series.length; t++) {
                assertThat(continued.forecastNext())
                        .as("forecasts of point %d after a save at %d", t, split)
                        .isEqualTo(uninterrupted.forecastNext());
                continued.observe(series[t]);
                uninterrupted.observe(series[t]);
            }
            assertThat(continued.season()).isEqualTo(uninterrupted.season());
            assertThat(continued.season().length()).isEqualTo(7);
        }
    }
}
