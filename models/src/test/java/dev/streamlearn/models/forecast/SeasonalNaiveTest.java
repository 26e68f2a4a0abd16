package dev.streamlearn.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeasonalNaiveTest {

    @Test
    void isExactOnAPurePeriodicSeriesOnceItHasSeenOneSeason() {
        double[] week = {9, 12, 11, 10, 13, 6, 5};
        SeasonalNaive naive = new SeasonalNaive(7);
        for (int t = 0; t < 7 * 30; t++) {
            double value = week[t % 7];
            if (t >= 7) {
                assertThat(naive.forecastNext()).as("point %d", t).isEqualTo(value);
            }
            naive.observe(value);
        }
    }

    @Test
    void forecastsThePreviousValueWhileShorterThanASeasonAndIsPersistenceAtSeasonOne() {
        SeasonalNaive weekly = new SeasonalNaive(7);
        SeasonalNaive persistence = new SeasonalNaive(1);
        assertThat(weekly.forecastNext()).isNaN();
        for (double v : new double[] {3, 8, 2}) {
            weekly.observe(v);
            persistence.observe(v);
        }
        assertThat(weekly.forecastNext()).isEqualTo(2);
        assertThat(persistence.forecastNext()).isEqualTo(2);
    }
}
