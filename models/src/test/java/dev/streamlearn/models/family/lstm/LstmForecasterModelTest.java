package dev.streamlearn.models.family.lstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LstmForecasterModelTest {
    private final ModelSpec spec =
            LstmForecasterSpec.defaults()
                    .with(LstmForecasterSpec.WINDOW, 3)
                    .with(LstmForecasterSpec.HIDDEN_SIZE, 1)
                    .with(LstmForecasterSpec.STRUCTURE, LstmForecasterSpec.LSTM_ONLY);

    /** The same with a linear part over the window and one season of 5: 14 + 3 + 2 + 1 weights. */
    private final ModelSpec withLinear =
            spec.with(LstmForecasterSpec.STRUCTURE, LstmForecasterSpec.LINEAR_AND_LSTM)
                    .with(LstmForecasterSpec.SEASONS, "5");

    @Test
    void theLinearPartAddsItsPredictedChangeToTheLstms() {
        float[] params = new float[20];
        System.arraycopy(
                oneUnit(new float[4], new float[4], new float[4], 0, 0.25f), 0, params, 0, 14);
        float[] linear = {0.5f, -1f, 2f, 0.25f, -0.5f}; // lin_W: z1..z3, then y_{n-5}, y_{n-6}
        System.arraycopy(linear, 0, params, 14, 5);
        params[19] = 0.1f; // lin_b
        LstmForecasterModel model = new LstmForecasterModel(new ModelWeights(withLinear, params));
        double[] values = {7, 4, 6, 10, 12, 11};

        NormalisedWindow w = model.windows().normalise(values, 3);

        double mean = 11;
        double scale = Math.sqrt(2 / 3.0);
        float[] z = w.inputs();
        assertThat((double) z[0]).isCloseTo((10 - mean) / scale, within(1e-6));
        // the point forecast is index 6: a season (5) before is values[1], one more values[0]
        assertThat((double) w.seasonal()[0]).isCloseTo((4 - 11) / scale, within(1e-5));
        assertThat((double) w.seasonal()[1])
                .isCloseTo(Math.max(-10, (7 - 11) / scale), within(1e-5));
        double linearChange =
                0.1 + 0.5 * z[0] - z[1] + 2 * z[2] + 0.25 * w.seasonal()[0] - 0.5 * w.seasonal()[1];
        assertThat(model.forecast(w)).isCloseTo(11 + scale * (linearChange + 0.25), within(1e-5));
        assertThat(model.forecast(values, 3)).isEqualTo(model.forecast(w));
    }

    @Test
    void seasonalInputsTheSeriesDoesNotReachYetAreZeroAndFarOnesAreClipped() {
        double[] values = {1000, 4, 6, 10, 12, 11};
        SeriesWindows windows =
                new SeriesWindows(withLinear.with(LstmForecasterSpec.SEASONS, "5,6"));

        NormalisedWindow w = windows.normalise(values, 3);

        // season 5 reads values[1] and values[0] (1000: clipped at targetClip 10); season 6 reads
        // values[0] and one before the array (0)
        assertThat(w.seasonal()).hasSize(4);
        assertThat(w.seasonal()[1]).isEqualTo(10f);
        assertThat(w.seasonal()[2]).isEqualTo(10f);
        assertThat(w.seasonal()[3]).isEqualTo(0f);
    }

    @Test
    void weightsStoredBeforeTheLinearPartDecodeAsTheLstmAlone() {
        java.util.Map<String, String> stored = new java.util.LinkedHashMap<>(spec.toMap());
        stored.remove("structure");
        stored.remove("seasons");
        stored.remove("linearPrior");

        ModelSpec read =
                ModelSpec.fromMap(
                        LstmForecasterFamily.INSTANCE,
                        LstmForecasterFamily.INSTANCE.storedSpec(stored));

        assertThat(read).isEqualTo(spec);
        assertThat(new LstmForecasterModel(new ModelWeights(read, new float[14])).linearPart())
                .isNull();
    }

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

    @ParameterizedTest(name = "hidden size {0}")
    @ValueSource(ints = {1, 5, 32, 33})
    void everyHiddenSizeMatchesTheLstmEquationsInDoublePrecision(int hidden) {
        // 32 runs the constant-size time step, the others the general one (33 and 5 with a
        // remainder after the rows taken four at a time).
        ModelSpec sized =
                LstmForecasterSpec.defaults().with(LstmForecasterSpec.HIDDEN_SIZE, hidden);
        Random random = new Random(hidden);
        float[] p = new float[ParameterLayout.of(sized).size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (random.nextGaussian() * 0.3);
        }
        LstmForecasterKernel kernel = new LstmForecasterKernel(new ModelWeights(sized, p));
        int window = sized.get(LstmForecasterSpec.WINDOW);
        for (int trial = 0; trial < 20; trial++) {
            float[] x = new float[window];
            for (int t = 0; t < window; t++) {
                x[t] = (float) random.nextGaussian();
            }
            assertThat((double) kernel.forward(x))
                    .as("window %d", trial)
                    .isCloseTo(reference(ParameterLayout.of(sized), p, hidden, x), within(1e-5));
        }
    }

    /** The LSTM equations over the flat layout, in double, one multiply-add at a time. */
    private static double reference(ParameterLayout layout, float[] p, int hidden, float[] x) {
        int w = layout.block("0_W").offset();
        int rw = layout.block("0_RW").offset();
        int b = layout.block("0_b").offset();
        double[] h = new double[hidden];
        double[] c = new double[hidden];
        for (float xt : x) {
            double[] z = new double[4 * hidden];
            for (int j = 0; j < z.length; j++) {
                z[j] = p[b + j] + xt * p[w + j];
                for (int k = 0; k < hidden; k++) {
                    z[j] += h[k] * p[rw + k * 4 * hidden + j];
                }
            }
            for (int k = 0; k < hidden; k++) {
                double candidate = Math.tanh(z[k]);
                double forget = sigmoid(z[hidden + k]);
                double output = sigmoid(z[2 * hidden + k]);
                double input = sigmoid(z[3 * hidden + k]);
                c[k] = forget * c[k] + input * candidate;
                h[k] = output * Math.tanh(c[k]);
            }
        }
        double out = p[layout.block("1_b").offset()];
        for (int k = 0; k < hidden; k++) {
            out += h[k] * p[layout.block("1_W").offset() + k];
        }
        return out;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
