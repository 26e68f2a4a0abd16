package dev.streamlearn.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeasonDetectorTest {

    /** Daily counts with a weekday/weekend pattern, a slow trend and noise, like US births. */
    private static double[] weeklyCycle(int days, long seed) {
        double[] week = {1.05, 1.12, 1.10, 1.08, 1.09, 0.80, 0.76};
        Random random = new Random(seed);
        double[] out = new double[days];
        for (int d = 0; d < days; d++) {
            double level = 9000 + 0.5 * d + 300 * Math.sin(2 * Math.PI * d / 365.25);
            out[d] = level * week[d % 7] + 150 * random.nextGaussian();
        }
        return out;
    }

    /** Half-hourly readings with a daily cycle (48 points) of two harmonics, and noise. */
    private static double[] halfHourlyDailyCycle(int points, long seed) {
        Random random = new Random(seed);
        double[] out = new double[points];
        for (int t = 0; t < points; t++) {
            double day = 2 * Math.PI * t / 48;
            out[t] =
                    30
                            + 8 * Math.sin(day - 1)
                            + 3 * Math.sin(2 * day)
                            + 0.5 * random.nextGaussian();
        }
        return out;
    }

    private static Season streamed(double[] values) {
        SeasonDetector detector = new SeasonDetector();
        for (double v : values) {
            detector.observe(v);
        }
        return detector.season();
    }

    @Test
    void findsSevenOnAWeeklyCycleOfDailyPointsAtTheFirstLook() {
        Season season = streamed(weeklyCycle(400, 1));
        assertThat(season)
                .isEqualTo(new Season(7, Season.Source.DETECTED, SeasonDetector.FIRST_LOOK));
    }

    @Test
    void findsFortyEightOnAHalfHourlyDailyCycle() {
        assertThat(SeasonDetector.detect(halfHourlyDailyCycle(14 * 48, 2))).isEqualTo(48);
        Season season = streamed(halfHourlyDailyCycle(14 * 48, 3));
        assertThat(season.length()).isEqualTo(48);
        assertThat(season.source()).isEqualTo(Season.Source.DETECTED);
        // lags up to a quarter of the points: 256 points is the first look that can see 48
        assertThat(season.decidedAfter()).isEqualTo(256);
    }

    @Test
    void findsNoSeasonInWhiteNoiseWhateverTheSeedAndSettlesOnOne() {
        for (long seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            double[] noise = new double[SeasonDetector.MAX_POINTS];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = 5 + random.nextGaussian();
            }
            assertThat(streamed(noise))
                    .as("seed %d", seed)
                    .isEqualTo(new Season(1, Season.Source.NONE, SeasonDetector.MAX_POINTS));
        }
    }

    @Test
    void staysPendingAtSeasonOneUntilItHasLooked() {
        SeasonDetector detector = new SeasonDetector();
        for (double v : weeklyCycle(SeasonDetector.FIRST_LOOK - 1, 4)) {
            detector.observe(v);
        }
        assertThat(detector.season()).isEqualTo(new Season(1, Season.Source.PENDING, 0));
    }

    @Test
    void findsNoSeasonInALinearTrend() {
        double[] line = new double[256];
        for (int i = 0; i < line.length; i++) {
            line[i] = 3 * i;
        }
        assertThat(SeasonDetector.detect(line)).isEqualTo(1);
    }
}
