package dev.streamlearn.models.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ActivationsTest {

    @Test
    void sigmoidAndTanhAreWithinAFewFloatUlpsOfTheirDefinitions() {
        for (float x = -30; x <= 30; x += 0.001f) {
            double sigmoid = 1 / (1 + Math.exp(-x));
            double tanh = Math.tanh(x);
            // Measured maxima on a 1e-6 grid over [-20, 20]: 3.1e-7 for tanh (~3 float ulps near
            // ±1), 1.9e-7 for sigmoid.
            double sigmoidBound = 2.5e-7;
            double tanhBound = 3.5e-7;
            assertThat((double) Activations.sigmoid(x))
                    .as("sigmoid(%s)", x)
                    .isCloseTo(sigmoid, within(sigmoidBound));
            assertThat((double) Activations.tanh(x))
                    .as("tanh(%s)", x)
                    .isCloseTo(tanh, within(tanhBound));
            assertThat(Math.abs(Activations.tanh(x))).as("|tanh(%s)|", x).isLessThanOrEqualTo(1f);
        }
    }

    @Test
    void sigmoidAndTanhSaturateAtTheirLimits() {
        assertThat((double) Activations.tanh(1e6f)).isCloseTo(1, within(2.5e-7));
        assertThat((double) Activations.tanh(-1e6f)).isCloseTo(-1, within(2.5e-7));
        assertThat(Activations.tanh(Float.MAX_VALUE)).isEqualTo(Activations.tanh(8f));
        assertThat((double) Activations.sigmoid(-1e6f)).isCloseTo(0, within(2e-7));
        assertThat((double) Activations.sigmoid(1e6f)).isCloseTo(1, within(2e-7));
        assertThat(Activations.sigmoid(0f)).isEqualTo(0.5f);
        assertThat(Activations.tanh(0f)).isEqualTo(0f);
    }
}
