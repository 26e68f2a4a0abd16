package dev.streamlearn.models.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.spec.ModelSpec;
import org.junit.jupiter.api.Test;

class SeriesWindowsTest {
    private final ModelSpec spec = LstmForecasterSpec.defaults().with(LstmForecasterSpec.WINDOW, 4);
    private final SeriesWindows windows = new SeriesWindows(spec);

    @Test
    void normalisesByTheWindowsMeanAndStandardDeviation() {
        NormalisedWindow w = windows.normalise(new double[] {0, 1, 10, 12, 14, 16}, 2);
        // mean 13, population sd sqrt(5)
        double sd = Math.sqrt(5);
        assertThat(w.inputs())
                .containsExactly(
                        (float) (-3 / sd), (float) (-1 / sd), (float) (1 / sd), (float) (3 / sd));
        assertThat(w.last()).isEqualTo(16);
        assertThat(w.scale()).isCloseTo(sd, within(1e-12));
    }

    @Test
    void aModelOutputOfZeroIsThePersistenceForecast() {
        NormalisedWindow w = windows.normalise(new double[] {3, 5, 4, 7}, 0);
        assertThat(w.denormalise(0)).isEqualTo(7);
        assertThat(w.denormalise(w.target(9.5))).isCloseTo(9.5, within(1e-12));
    }

    @Test
    void aFlatWindowIsScaledByTheFloorNotByZero() {
        NormalisedWindow w = windows.normalise(new double[] {500, 500, 500, 500}, 0);
        assertThat(w.scale()).isEqualTo(0.5);
        assertThat(w.inputs()).containsOnly(0f);
    }

    @Test
    void refusesWindowsWithNonFiniteValuesOrTooFewPoints() {
        assertThatThrownBy(() -> windows.normalise(new double[] {1, Double.NaN, 3, 4}, 0))
                .hasMessageContaining("window value 1 is NaN");
        assertThatThrownBy(() -> windows.normalise(new double[] {1, 2, 3}, 0))
                .hasMessageContaining("needs 4 values");
    }
}
