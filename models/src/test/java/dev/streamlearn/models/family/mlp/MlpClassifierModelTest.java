package dev.streamlearn.models.family.mlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MlpClassifierModelTest {

    /** 2 inputs → 2 tanh units → 2 slots, labels a and b. */
    private static final ModelSpec SMALL =
            ModelSpec.fromMap(
                    MlpClassifierFamily.INSTANCE,
                    Map.of("inputs", "2", "hidden", "2", "maxLabels", "2", "labels", "a,b"));

    // 0_W [2,2] row-major (input i → unit j), 0_b [1,2], 1_W [2,2], 1_b [1,2].
    private static final float[] SMALL_WEIGHTS = {
        0.5f, -1f, 2f, 0.25f, 0.125f, -0.25f, 1.5f, -0.5f, -2f, 1f, 0.375f, 0f
    };

    @Test
    void theLayoutIsEachDenseLayerThenTheOutputLayerInDl4jOrder() {
        ParameterLayout layout =
                ParameterLayout.of(
                        MlpClassifierSpec.defaults().with(MlpClassifierSpec.HIDDEN, "16,4"));

        assertThat(layout.blocks())
                .extracting(b -> b.name() + "[" + b.rows() + "," + b.cols() + "]")
                .containsExactly(
                        "0_W[2,16]", "0_b[1,16]", "1_W[16,4]", "1_b[1,4]", "2_W[4,8]", "2_b[1,8]");
        assertThat(layout.size()).isEqualTo(2 * 16 + 16 + 16 * 4 + 4 + 4 * 8 + 8);
    }

    @Test
    void theFamilyIsRegisteredButNotInTheDefaultPipeline() {
        assertThat(ModelFamilies.byId("mlp-classifier")).isSameAs(MlpClassifierFamily.INSTANCE);
        assertThat(ModelFamilies.inDefaultPipeline()).doesNotContain(MlpClassifierFamily.INSTANCE);
    }

    @Test
    void predictsWhatTheNetworkComputesByHand() {
        MlpClassifierModel model = new MlpClassifierModel(new ModelWeights(SMALL, SMALL_WEIGHTS));
        double x0 = 1.0;
        double x1 = -2.0;

        VectorPrediction prediction = model.predict(new double[] {x0, x1});

        double h0 = Math.tanh(0.125 + x0 * 0.5 + x1 * 2);
        double h1 = Math.tanh(-0.25 + x0 * -1 + x1 * 0.25);
        double za = 0.375 + h0 * 1.5 + h1 * -2;
        double zb = 0.0 + h0 * -0.5 + h1 * 1;
        double pa = 1 / (1 + Math.exp(zb - za));
        assertThat(prediction.probabilities().get("a")).isCloseTo(pa, within(1e-9));
        assertThat(prediction.probabilities().get("b")).isCloseTo(1 - pa, within(1e-9));
        assertThat(prediction.predictedLabel()).isEqualTo(pa > 0.5 ? "a" : "b");
    }

    @Test
    void eachContributionIsTheGradientOfThePredictedLogitTimesTheInput() {
        ModelSpec spec =
                ModelSpec.fromMap(
                        MlpClassifierFamily.INSTANCE,
                        Map.of(
                                "inputs",
                                "3",
                                "hidden",
                                "5,4",
                                "maxLabels",
                                "3",
                                "labels",
                                "x,y,z"));
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(7);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) random.nextGaussian();
        }
        MlpClassifierModel model = new MlpClassifierModel(new ModelWeights(spec, params));
        double[] x = {0.7, -1.3, 0.4};

        VectorPrediction prediction = model.predict(x);

        int slot = model.labels().indexOf(prediction.predictedLabel());
        MlpClassifierKernel kernel = model.kernel();
        for (int i = 0; i < x.length; i++) {
            double h = 1e-6;
            double[] up = x.clone();
            double[] down = x.clone();
            up[i] += h;
            down[i] -= h;
            double slope =
                    (kernel.forward(up, kernel.newHidden())[slot]
                                    - kernel.forward(down, kernel.newHidden())[slot])
                            / (2 * h);
            assertThat(prediction.contributions()[i])
                    .as("feature " + i)
                    .isCloseTo(slope * x[i], within(1e-6));
        }
    }

    @Test
    void probabilitiesAreOverTheKnownLabelsOnly() {
        ModelSpec oneLabel = MlpClassifierSpec.withLabel(MlpClassifierSpec.defaults(), "only");
        MlpClassifierModel model =
                new MlpClassifierModel(
                        new ModelWeights(oneLabel, new float[ParameterLayout.of(oneLabel).size()]));

        VectorPrediction prediction = model.predict(new double[] {1, 2});

        assertThat(prediction.probabilities()).containsExactly(Map.entry("only", 1.0));
        assertThat(model.test(new double[] {1, 2}, "other").probabilityOfActual()).isZero();
    }

    @Test
    void aVectorOfAnotherLengthOrNotFiniteIsRefusedNamingWhatWasExpected() {
        MlpClassifierModel model = new MlpClassifierModel(new ModelWeights(SMALL, SMALL_WEIGHTS));

        assertThatThrownBy(() -> model.predict(new double[] {1, 2, 3}))
                .hasMessage("vector of 3 features, expected 2 (the model's inputs)");
        assertThat(MlpClassifierModel.refusal(new double[] {1, Double.NaN}, 2))
                .isEqualTo("feature 1 is NaN, expected a finite number");
    }

    @Test
    void labelsTakeSlotsInOrderUntilNoneIsFree() {
        ModelSpec spec = MlpClassifierSpec.defaults().with(MlpClassifierSpec.MAX_LABELS, 2);
        spec = MlpClassifierSpec.withLabel(MlpClassifierSpec.withLabel(spec, "b"), "a");
        ModelSpec full = spec;

        assertThat(MlpClassifierSpec.labels(spec)).containsExactly("b", "a");
        assertThatThrownBy(() -> MlpClassifierSpec.withLabel(full, "c"))
                .hasMessageContaining("all 2 slots (maxLabels) are taken by [b, a]");
    }

    @Test
    void hiddenSizesAreValidated() {
        assertThatThrownBy(
                        () -> MlpClassifierSpec.defaults().with(MlpClassifierSpec.HIDDEN, "16,x"))
                .hasMessageContaining("hidden = 16,x must be one or more layer sizes");
        assertThat(MlpClassifierSpec.hiddenSizes(MlpClassifierSpec.defaults())).containsExactly(16);
    }
}
