package dev.streamlearn.models.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ActivationsTest {

    @Test
    void fastExpIsWithinOneHundredMillionthOfMathExp() {
        for (double x = -80; x <= 80; x += 0.0137) {
            assertThat(Activations.exp(x) / Math.exp(x))
                    .as("exp(%s)", x)
                    .isCloseTo(1.0, within(1e-8));
        }
    }

    @Test
    void sigmoidAndTanhMatchTheirDefinitionsToFloatPrecisionAndSaturate() {
        for (float x = -30; x <= 30; x += 0.01f) {
            assertThat((double) Activations.sigmoid(x))
                    .isCloseTo(1 / (1 + Math.exp(-x)), within(1e-7));
            assertThat((double) Activations.tanh(x)).isCloseTo(Math.tanh(x), within(1e-7));
        }
        assertThat(Activations.tanh(1e6f)).isEqualTo(1f);
        assertThat(Activations.tanh(-1e6f)).isEqualTo(-1f);
        assertThat(Activations.sigmoid(-1e6f)).isEqualTo(0f);
    }
}
