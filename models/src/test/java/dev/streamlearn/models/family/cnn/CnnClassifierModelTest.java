package dev.streamlearn.models.family.cnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CnnClassifierModelTest {

    /** A 3x3 grey image → one 2x2 filter → 2x2 max pool → one dense unit → slots a, b. */
    private static final ModelSpec TINY =
            ModelSpec.fromMap(
                    CnnClassifierFamily.INSTANCE,
                    Map.of(
                            "width",
                            "3",
                            "height",
                            "3",
                            "filters",
                            "1",
                            "kernel",
                            "2",
                            "dense",
                            "1",
                            "maxLabels",
                            "2",
                            "labels",
                            "a,b"));

    // 0_W [1,4] (ky, kx row-major), 0_b, 2_W [1,1], 2_b, 3_W [1,2], 3_b [1,2].
    private static final float[] TINY_WEIGHTS = {
        1f, -1f, 0.5f, 2f, -0.1f, 0.5f, 0.25f, 1f, -2f, 0.5f, 0f
    };

    // 0, .2, .4 / .6, .8, 1 / 1, 0, .2 once scaled.
    private static final byte[] TINY_IMAGE = {
        0, 51, 102, (byte) 153, (byte) 204, (byte) 255, (byte) 255, 0, 51
    };

    /** Two channels, two convolutions: exercises every index order the kernel reorders. */
    private static final ModelSpec SMALL =
            ModelSpec.fromMap(
                    CnnClassifierFamily.INSTANCE,
                    Map.of(
                            "width",
                            "11",
                            "height",
                            "10",
                            "channels",
                            "2",
                            "filters",
                            "3,4",
                            "dense",
                            "5",
                            "maxLabels",
                            "3",
                            "labels",
                            "x,y,z"));

    @Test
    void theDefaultsAreTheSurveysMnistNetwork() {
        ModelSpec spec = CnnClassifierSpec.defaults();
        assertThat(spec.toMap())
                .containsEntry("width", "28")
                .containsEntry("height", "28")
                .containsEntry("channels", "1")
                .containsEntry("filters", "32,64")
                .containsEntry("kernel", "3")
                .containsEntry("pool", "2")
                .containsEntry("dense", "128")
                .containsEntry("maxLabels", "10")
                .containsEntry("learningRate", "0.001");
    }

    @Test
    void theLayoutIsEachConvolutionThenTheDenseAndOutputLayersInDl4jOrder() {
        ParameterLayout layout = ParameterLayout.of(CnnClassifierSpec.defaults());

        // 28 → conv 26 → pool 13 → conv 11 → pool 5: the dense layer reads 5·5·64 values.
        assertThat(layout.blocks())
                .extracting(b -> b.name() + "[" + b.rows() + "," + b.cols() + "]")
                .containsExactly(
                        "0_W[32,9]",
                        "0_b[1,32]",
                        "2_W[64,288]",
                        "2_b[1,64]",
                        "4_W[1600,128]",
                        "4_b[1,128]",
                        "5_W[128,10]",
                        "5_b[1,10]");
        assertThat(layout.size()).isEqualTo(320 + 18_496 + 204_928 + 1_290);
    }

    @Test
    void aSpecTooSmallForItsLayersIsRefusedWithTheReason() {
        assertThatThrownBy(
                        () ->
                                ParameterLayout.of(
                                        CnnClassifierSpec.defaults()
                                                .with(CnnClassifierSpec.FILTERS, "8,8,8,8")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("convolution 4 gets a 1x1 map");
    }

    @Test
    void theFamilyIsRegisteredButNotInTheDefaultPipeline() {
        assertThat(ModelFamilies.byId("cnn-classifier")).isSameAs(CnnClassifierFamily.INSTANCE);
        assertThat(ModelFamilies.inDefaultPipeline()).doesNotContain(CnnClassifierFamily.INSTANCE);
        assertThat(CnnClassifierFamily.INSTANCE.inputTopic().name()).isEqualTo("image-events");
    }

    @Test
    void predictsWhatTheNetworkComputesByHand() {
        CnnClassifierModel model = new CnnClassifierModel(new ModelWeights(TINY, TINY_WEIGHTS));

        ImagePrediction prediction = model.predict(3, 3, 1, TINY_IMAGE);

        // conv: -0.1 + window·[1 -1; .5 2] = 1.6, 2.1 / 0.2, 0.1; pool 2.1; dense relu(.5·2.1 +
        // .25)
        double dense = 1.3;
        double za = 0.5 + dense * 1;
        double zb = 0.0 + dense * -2;
        double pa = 1 / (1 + Math.exp(zb - za));
        assertThat(prediction.probabilities().get("a")).isCloseTo(pa, within(1e-6));
        assertThat(prediction.probabilities().get("b")).isCloseTo(1 - pa, within(1e-6));
        assertThat(prediction.predictedLabel()).isEqualTo("a");
    }

    @Test
    void theSaliencyIsGradientTimesInputSummedPerCell() {
        CnnClassifierModel model = new CnnClassifierModel(new ModelWeights(TINY, TINY_WEIGHTS));

        SaliencyMap saliency = model.predict(3, 3, 1, TINY_IMAGE).saliency();

        // d z_a / d pooled = 1 · 0.5; the max came from the window at (0, 1): the input gradient
        // is 0.5 · [1 -1; .5 2] over pixels .2 .4 / .8 1, all in the one 4x4 cell.
        assertThat(saliency.width()).isEqualTo(1);
        assertThat(saliency.height()).isEqualTo(1);
        assertThat(saliency.values()[0])
                .isCloseTo(0.5 * (0.2 - 0.4 + 0.5 * 0.8 + 2 * 1.0), within(1e-6));
    }

    @Test
    void aDigitHasASevenBySevenSaliencyGrid() {
        ModelSpec spec = CnnClassifierSpec.withLabel(CnnClassifierSpec.defaults(), "3");
        CnnClassifierModel model = new CnnClassifierModel(randomWeights(spec, 3));

        ImagePrediction prediction = model.predict(28, 28, 1, randomImage(784, 4));

        assertThat(prediction.saliency().width()).isEqualTo(7);
        assertThat(prediction.saliency().height()).isEqualTo(7);
        assertThat(prediction.saliency().values()).hasSize(49);
        assertThat(prediction.probabilities()).containsOnlyKeys("3");
    }

    @Test
    void theKernelComputesWhatAPlainConvolutionalNetworkDoes() {
        ModelWeights weights = randomWeights(SMALL, 11);
        CnnClassifierKernel kernel = new CnnClassifierKernel(weights);
        Random random = new Random(12);
        for (int n = 0; n < 20; n++) {
            float[] image = randomScaled(SMALL, random);

            float[] logits = kernel.forward(image, kernel.newActivations()).clone();

            double[] expected = reference(weights, image);
            for (int s = 0; s < expected.length; s++) {
                assertThat((double) logits[s]).as("slot " + s).isCloseTo(expected[s], within(1e-5));
            }
        }
    }

    @Test
    void theInputGradientIsTheFiniteDifferenceOfTheLogit() {
        ModelWeights weights = randomWeights(SMALL, 21);
        CnnClassifierKernel kernel = new CnnClassifierKernel(weights);
        Random random = new Random(22);
        float[] image = randomScaled(SMALL, random);
        CnnClassifierKernel.Activations a = kernel.newActivations();
        kernel.forward(image, a);
        float[] unit = {0, 1, 0};

        float[] gradient = kernel.backward(image, a, unit, null, true).clone();

        double h = 1e-3;
        for (int i = 0; i < image.length; i++) {
            double numeric =
                    (logitAt(weights, image, i, h, 1) - logitAt(weights, image, i, -h, 1))
                            / (2 * h);
            assertThat((double) gradient[i])
                    .as("pixel value " + i)
                    .isCloseTo(numeric, within(1e-4 + 1e-3 * Math.abs(numeric)));
        }
    }

    @Test
    void theParameterGradientIsTheFiniteDifferenceOfTheLoss() {
        ModelWeights weights = randomWeights(SMALL, 31);
        CnnClassifierKernel kernel = new CnnClassifierKernel(weights);
        Random random = new Random(32);
        float[][] images = {randomScaled(SMALL, random), randomScaled(SMALL, random)};
        float[] direction = {0.7f, -1.1f, 0.4f};
        CnnClassifierKernel.Gradients gradients = kernel.newGradients();
        CnnClassifierKernel.Activations a = kernel.newActivations();
        for (float[] image : images) {
            kernel.forward(image, a);
            kernel.backward(image, a, direction, gradients, false);
        }

        float[] analytic = gradients.values().clone();

        double h = 1e-3;
        for (ParameterBlock block : ParameterLayout.of(SMALL).blocks()) {
            for (int j = 0; j < block.length(); j += Math.max(1, block.length() / 7)) {
                int i = block.offset() + j;
                double numeric =
                        (weightedLogits(weights, images, direction, i, h)
                                        - weightedLogits(weights, images, direction, i, -h))
                                / (2 * h);
                assertThat((double) analytic[i])
                        .as(block.name() + "[" + j + "]")
                        .isCloseTo(numeric, within(1e-3 + 1e-3 * Math.abs(numeric)));
            }
        }
    }

    @Test
    void anImageOfAnotherSizeIsRefusedNamingTheSizeExpected() {
        CnnClassifierModel model = new CnnClassifierModel(new ModelWeights(TINY, TINY_WEIGHTS));

        assertThat(CnnClassifierModel.refusal(TINY, 4, 3, 1, new byte[12]))
                .isEqualTo(
                        "image of 4x3x1 (width x height x channels), expected 3x3x1 (the model's"
                                + " size)");
        assertThat(CnnClassifierModel.refusal(TINY, 3, 3, 1, new byte[8]))
                .isEqualTo("8 pixel bytes for a 3x3x1 image, expected 9");
        assertThatThrownBy(() -> model.predict(28, 28, 1, new byte[784]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 3x3x1");
    }

    @Test
    void aModelWithoutLabelsPredictsNothing() {
        ModelSpec spec = TINY.with(CnnClassifierSpec.LABELS, "");
        CnnClassifierModel model = new CnnClassifierModel(new ModelWeights(spec, TINY_WEIGHTS));

        ImagePrediction prediction = model.predict(3, 3, 1, TINY_IMAGE);

        assertThat(prediction.predictedLabel()).isNull();
        assertThat(prediction.probabilities()).isEmpty();
        assertThat(prediction.saliency().values()).containsExactly(0.0);
    }

    private static double logitAt(ModelWeights weights, float[] image, int i, double h, int slot) {
        double[] x = new double[image.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = image[j];
        }
        x[i] += h;
        return reference(weights.spec(), toDouble(weights.params()), x)[slot];
    }

    private static double weightedLogits(
            ModelWeights weights, float[][] images, float[] direction, int param, double h) {
        double[] p = toDouble(weights.params());
        p[param] += h;
        double sum = 0;
        for (float[] image : images) {
            double[] logits = reference(weights.spec(), p, toDouble(image));
            for (int s = 0; s < logits.length; s++) {
                sum += direction[s] * logits[s];
            }
        }
        return sum;
    }

    private static double[] reference(ModelWeights weights, float[] image) {
        return reference(weights.spec(), toDouble(weights.params()), toDouble(image));
    }

    /**
     * The network as DL4J defines it, written plainly in double: maps channel-first, weights {@code
     * [filter][channel][ky][kx]}, the dense layer's input flattened channel-first.
     */
    private static double[] reference(ModelSpec spec, double[] p, double[] imageChannelLast) {
        CnnGeometry g = CnnGeometry.of(spec);
        ParameterLayout layout = ParameterLayout.of(spec);
        int k = g.kernel();
        int pool = g.pool();
        double[][][] map = new double[g.channels()][g.height()][g.width()];
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                for (int c = 0; c < g.channels(); c++) {
                    map[c][y][x] = imageChannelLast[(y * g.width() + x) * g.channels() + c];
                }
            }
        }
        for (int l = 0; l < g.convolutions(); l++) {
            int w = layout.block(2 * l + "_W").offset();
            int b = layout.block(2 * l + "_b").offset();
            int f = g.filters()[l];
            int cin = g.inChannels()[l];
            double[][][] conv = new double[f][g.convHeight()[l]][g.convWidth()[l]];
            for (int o = 0; o < f; o++) {
                for (int y = 0; y < g.convHeight()[l]; y++) {
                    for (int x = 0; x < g.convWidth()[l]; x++) {
                        double s = p[b + o];
                        for (int c = 0; c < cin; c++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    s +=
                                            p[w + ((o * cin + c) * k + ky) * k + kx]
                                                    * map[c][y + ky][x + kx];
                                }
                            }
                        }
                        conv[o][y][x] = Math.max(0, s);
                    }
                }
            }
            map = new double[f][g.poolHeight()[l]][g.poolWidth()[l]];
            for (int o = 0; o < f; o++) {
                for (int y = 0; y < g.poolHeight()[l]; y++) {
                    for (int x = 0; x < g.poolWidth()[l]; x++) {
                        double m = Double.NEGATIVE_INFINITY;
                        for (int dy = 0; dy < pool; dy++) {
                            for (int dx = 0; dx < pool; dx++) {
                                m = Math.max(m, conv[o][y * pool + dy][x * pool + dx]);
                            }
                        }
                        map[o][y][x] = m;
                    }
                }
            }
        }
        int flatSize = g.flat();
        double[] flat = new double[flatSize];
        int i = 0;
        for (double[][] channel : map) {
            for (double[] row : channel) {
                for (double v : row) {
                    flat[i++] = v;
                }
            }
        }
        double[] dense = dense(p, layout, g.denseLayer(), flat, g.dense(), true);
        return dense(p, layout, g.denseLayer() + 1, dense, g.slots(), false);
    }

    private static double[] dense(
            double[] p, ParameterLayout layout, int layer, double[] in, int out, boolean relu) {
        int w = layout.block(layer + "_W").offset();
        int b = layout.block(layer + "_b").offset();
        double[] z = new double[out];
        for (int j = 0; j < out; j++) {
            double s = p[b + j];
            for (int i = 0; i < in.length; i++) {
                s += in[i] * p[w + i * out + j];
            }
            z[j] = relu ? Math.max(0, s) : s;
        }
        return z;
    }

    private static ModelWeights randomWeights(ModelSpec spec, long seed) {
        Random random = new Random(seed);
        float[] params = new float[ParameterLayout.of(spec).size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.3);
        }
        return new ModelWeights(spec, params);
    }

    private static float[] randomScaled(ModelSpec spec, Random random) {
        float[] image = new float[CnnGeometry.of(spec).pixels()];
        for (int i = 0; i < image.length; i++) {
            // Blank background, as a digit's, where half the pixels are 0.
            image[i] = random.nextBoolean() ? 0 : random.nextInt(256) / 255f;
        }
        return image;
    }

    private static byte[] randomImage(int size, long seed) {
        byte[] pixels = new byte[size];
        new Random(seed).nextBytes(pixels);
        return pixels;
    }

    private static double[] toDouble(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return d;
    }
}
