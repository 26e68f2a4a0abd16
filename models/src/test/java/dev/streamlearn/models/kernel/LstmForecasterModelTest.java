package dev.streamlearn.models.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.spec.LstmForecasterSpec;
import dev.streamlearn.models.spec.ModelSpec;
import org.junit.jupiter.api.Test;

class LstmForecasterModelTest {
    private final ModelSpec spec =
            LstmForecasterSpec.defaults()
                    .with(LstmForecasterSpec.WINDOW, 3)
                    .with(LstmForecasterSpec.HIDDEN_SIZE, 1);

    /** Order in the flat weights: W[1,4], RW[1,4], b[1,4], outW[1,1], outB[1]. */
    private static float[] oneUnit(float[] w, float[] rw, float[] b, float outW, float outB) {
        float[] p = new float[14];
        System.arraycopy(w, 0, p, 0, 4);
        System.arraycopy(rw, 0, p, 4, 4);
        System.arraycopy(b, 0, p, 8, 4);
        p[12] = outW;
        p[13] = outB;
        return p;
    }

    @Test
    void oneUnitFollowsTheLstmEquationsWithDl4jsGateOrder() {
        // gate blocks: cell candidate, forget, output, input
        float[] w = {0.5f, -0.3f, 0.8f, 0.2f};
        float[] rw = {0.1f, 0.4f, -0.6f, 0.9f};
        float[] b = {0.05f, 1.0f, 0.0f, -0.1f};
        ModelWeights weights = new ModelWeights(spec, oneUnit(w, rw, b, 2f, 0.25f));
        float[] x = {0.3f, -1.2f, 0.7f};
        double h = 0;
        double c = 0;
        for (float xt : x) {
            double a = Math.tanh(xt * w[0] + h * rw[0] + b[0]);
            double f = sigmoid(xt * w[1] + h * rw[1] + b[1]);
            double o = sigmoid(xt * w[2] + h * rw[2] + b[2]);
            double i = sigmoid(xt * w[3] + h * rw[3] + b[3]);
            c = f * c + i * a;
            h = o * Math.tanh(c);
        }
        assertThat((double) new LstmForecasterKernel(weights).forward(x))
                .isCloseTo(2 * h + 0.25, within(1e-6));
    }

    @Test
    void aModelWithZeroWeightsForecastsPersistence() {
        LstmForecasterModel model = new LstmForecasterModel(new ModelWeights(spec, new float[14]));
        assertThat(model.forecast(new double[] {10, 12, 11.5}, 0)).isEqualTo(11.5);
    }

    @Test
    void aTrackerForecastsEachPointFromTheWindowBeforeIt() {
        LstmForecasterModel model = new LstmForecasterModel(new ModelWeights(spec, new float[14]));
        SeriesTracker tracker = new SeriesTracker(spec);
        double[] values = {1, 2, 3, 5, 4};
        SeriesObservation last = null;
        for (int i = 0; i < values.length; i++) {
            last = tracker.observe(values[i], model);
            assertThat(last.hasForecast()).isEqualTo(i >= 3);
        }
        assertThat(last.forecast()).isEqualTo(5);
        assertThat(last.persistence()).isEqualTo(5);
        assertThat(last.window().last()).isEqualTo(5);
        assertThat(tracker.forecastNext(model)).isEqualTo(4);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
