package dev.streamlearn.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftLossesTest {
    private static final int PERIOD = 288;
    private static final SeriesWindows WINDOWS = new SeriesWindows(LstmForecasterSpec.defaults());

    /** A daily cycle (amplitude 2.5) with noise 0.1, as {@code generate series} makes it. */
    private static double[] cycle(int n, long seed) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int t = 0; t < n; t++) {
            values[t] = 20 + 2.5 * Math.sin(2 * Math.PI * t / PERIOD) + 0.1 * random.nextGaussian();
        }
        return values;
    }

    /** Mean loss of a forecaster whose errors are the noise alone, on windows ending at t. */
    private static double meanLoss(double[] values, int[] ends, boolean byDeviation) {
        Random noise = new Random(5);
        double sum = 0;
        for (int end : ends) {
            NormalisedWindow w = WINDOWS.normalise(values, end - WINDOWS.window());
            double error = 0.1 * noise.nextGaussian();
            sum +=
                    byDeviation
                            ? DriftBench.deviationScaled(error, w.scale())
                            : DriftLosses.series(error, w);
        }
        return sum / ends.length;
    }

    /** Window ends around the cycle's crest (flat) or its zero crossing (steepest). */
    private static int[] ends(int centre) {
        int[] ends = new int[400];
        for (int k = 0; k < ends.length; k++) {
            ends[k] = centre + WINDOWS.window() / 2 + (k / 20) * PERIOD + k % 20;
        }
        return ends;
    }

    @Test
    void theSameNoiseCostsTheSameOnACyclesFlatAndSteepStretches() {
        // Given a daily cycle, and a forecaster off by the noise alone everywhere
        double[] values = cycle(30 * PERIOD, 3);
        int[] crest = ends(PERIOD / 4 - 10);
        int[] crossing = ends(PERIOD / 2 - 10);

        // Then its watched loss does not depend on the cycle's phase
        assertThat(meanLoss(values, crest, false))
                .isCloseTo(meanLoss(values, crossing, false), within(0.03));
        // while the error in the window's deviation (the loss before) rose on the flat stretch
        // by far more, a change ADWIN saw twice a day
        assertThat(meanLoss(values, crest, true))
                .isGreaterThan(meanLoss(values, crossing, true) + 0.1);
    }

    @Test
    void aForecastThatMissesALevelShiftStillCostsMuchOnceTheShiftIsInItsWindow() {
        // Given a window whose second half is 4 higher (a level shift 16 points ago)
        double[] values = cycle(PERIOD, 7);
        for (int t = 16; t < 32; t++) {
            values[t] += 4;
        }
        NormalisedWindow w = WINDOWS.normalise(values, 0);

        // When the forecast is off by 1, ten times the noise
        // Then the loss is high: the shift is one step among 31, not most of the scale
        assertThat(DriftLosses.series(1, w)).isGreaterThan(0.7);
        assertThat(DriftBench.deviationScaled(1, w.scale())).isLessThan(0.4);
    }

    @Test
    void aFlatWindowOrAnUnknownErrorIsNotWatchedAsZero() {
        NormalisedWindow flat = WINDOWS.normalise(new double[32], 0);
        assertThat(DriftLosses.series(0, flat)).isZero();
        assertThat(DriftLosses.series(0.5, flat)).isCloseTo(1, within(1e-6));
        assertThat(DriftLosses.series(Double.NaN, flat)).isNaN();
    }
}
