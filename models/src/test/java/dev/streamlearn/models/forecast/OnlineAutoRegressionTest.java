package dev.streamlearn.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OnlineAutoRegressionTest {

    @Test
    void recoversTheCoefficientsOfAKnownAr2ProcessTo1e3() {
        // Given y_t = 5 + 1.5 y_{t-1} - 0.9 y_{t-2} + e_t, e ~ N(0, 1): least-squares estimates
        // of a_1, a_2 have a standard error of sqrt((1 - 0.81) / n), 3e-4 at n = 2e6
        Random random = new Random(16);
        OnlineAutoRegression ar = new OnlineAutoRegression(2, 1.0);
        double previous = 12.5;
        double beforeThat = 12.5;
        for (int t = 0; t < 2_000_000; t++) {
            double y = 5 + 1.5 * previous - 0.9 * beforeThat + random.nextGaussian();
            ar.observe(y);
            beforeThat = previous;
            previous = y;
        }

        assertThat(ar.coefficients()[0]).isCloseTo(1.5, within(1e-3));
        assertThat(ar.coefficients()[1]).isCloseTo(-0.9, within(1e-3));
        assertThat(ar.intercept()).isCloseTo(5.0, within(5e-3));
        assertThat(ar.updates()).isEqualTo(2_000_000 - 2);
    }

    @Test
    void forecastsASeriesThatIsExactlyAr2AlmostExactlyOnceItHasSeenAFewCycles() {
        // Given a sinusoid around a level: y_t = c (2 - 2 cos w) + 2 cos w y_{t-1} - y_{t-2}
        OnlineAutoRegression ar = new OnlineAutoRegression(2, 1.0);
        double w = 2 * Math.PI / 24;
        for (int t = 0; t < 200; t++) {
            ar.observe(1000 + 50 * Math.sin(w * t));
        }

        assertThat(ar.forecastNext()).isCloseTo(1000 + 50 * Math.sin(w * 200), within(1e-3));
        assertThat(ar.coefficients()[0]).isCloseTo(2 * Math.cos(w), within(1e-3));
        assertThat(ar.coefficients()[1]).isCloseTo(-1, within(1e-3));
    }

    @Test
    void startsAsPersistenceUntilItHasLearnedFromOnePair() {
        OnlineAutoRegression ar = new OnlineAutoRegression(3, 1.0);
        assertThat(ar.forecastNext()).isNaN();
        ar.observe(4);
        ar.observe(7);
        ar.observe(5);
        assertThat(ar.forecastNext()).isEqualTo(5);
        assertThat(ar.updates()).isZero();
    }

    @Test
    void aForgettingFactorOutsideZeroToOneIsRefusedNamingIt() {
        assertThatThrownBy(() -> new OnlineAutoRegression(2, 1.5))
                .hasMessage("forgetting factor is 1.5, expected in (0, 1]");
        assertThatThrownBy(() -> new OnlineAutoRegression(0, 1.0))
                .hasMessage("AR order is 0, expected >= 1");
    }
}
