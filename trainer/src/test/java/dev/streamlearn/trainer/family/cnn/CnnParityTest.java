package dev.streamlearn.trainer.family.cnn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.cnn.CnnClassifierKernel;
import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.evaluation.MnistCsv;
import dev.streamlearn.trainer.learning.Dl4jParity;
import dev.streamlearn.trainer.learning.Dl4jWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Train/serve parity of {@code cnn-classifier}: weights learned by the plain-Java learner, encoded
 * and decoded, give DL4J's {@code output()} in the scoring kernel (on MNIST digits, and on colour
 * images, where the kernel's channel-last maps and DL4J's channel-first ones must meet); and the
 * learner's gradient of a mini-batch, and its Adam step, are DL4J's on the same weights.
 */
class CnnParityTest {
    private static final double TOLERANCE = 1e-5;
    private static final List<ImageEvent> DIGITS = MnistCsv.read(700);

    /** Two convolutions over 3-channel 12x11 images, four labels. */
    private static final ModelSpec COLOUR =
            CnnClassifierSpec.defaults()
                    .with(CnnClassifierSpec.WIDTH, 12)
                    .with(CnnClassifierSpec.HEIGHT, 11)
                    .with(CnnClassifierSpec.CHANNELS, 3)
                    .with(CnnClassifierSpec.FILTERS, "4,6")
                    .with(CnnClassifierSpec.DENSE, 16)
                    .with(CnnClassifierSpec.MAX_LABELS, 4)
                    .with(CnnClassifierSpec.LEARNING_RATE, 0.01);

    @Test
    void theKernelGivesDl4jsOutputOnLearnedDigitWeights() throws Exception {
        // Given a learner that has learned 600 digits
        FastCnnLearner learner = new FastCnnLearner(CnnClassifierSpec.defaults());
        for (ImageEvent digit : DIGITS.subList(0, 600)) {
            offer(learner, digit);
        }
        assertThat(learner.fits()).isEqualTo(75);

        // When DL4J and the kernel score the next 100 digits with those weights, decoded
        double maxDiff = maxOutputDifference(learner, images(DIGITS.subList(600, 700)));

        // Then every slot's probability agrees
        assertThat(maxDiff).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void theKernelGivesDl4jsOutputOnColourImages() throws Exception {
        // Given a learner that has learned 400 random colour images of four labels
        FastCnnLearner learner = new FastCnnLearner(COLOUR);
        Random random = new Random(5);
        for (int i = 0; i < 400; i++) {
            learner.offer(12, 11, 3, randomPixels(random), String.valueOf(random.nextInt(4)));
        }

        // When DL4J and the kernel score 50 more
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            images.add(randomPixels(random));
        }
        double maxDiff = maxOutputDifference(learner, images);

        // Then every slot's probability agrees
        assertThat(maxDiff).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void theLearnersGradientIsDl4jsOnLearnedWeights() {
        // Given weights learned from 40 digits, in DL4J's network and in a fast learner, and the
        // next 8 digits as a mini-batch
        FastCnnLearner learner = new FastCnnLearner(CnnClassifierSpec.defaults());
        for (ImageEvent digit : DIGITS.subList(0, 40)) {
            offer(learner, digit);
        }
        ModelWeights weights = learner.weights();
        MultiLayerNetwork net = TrainingFamilies.network(weights.spec());
        Dl4jWeights.load(weights, net);
        FastCnnLearner fast = new FastCnnLearner(weights.spec());
        fast.startFrom(weights);
        List<CnnExample> batch = batch(weights.spec(), DIGITS.subList(40, 48));

        // When both compute the gradient of the mini-batch's mean loss
        fast.gradients(batch);
        DataSet data =
                dataSet(batch, CnnClassifierSpec.defaults().get(CnnClassifierSpec.MAX_LABELS));
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();

        // Then they agree entry by entry; DL4J sums in float32, so entries a hundred times
        // smaller than the largest are compared at the largest one's hundredth
        float[] expected = Dl4jParity.meanGradient(weights.spec(), net, batch.size());
        Dl4jParity.assertClose(
                "gradient",
                expected,
                fast.lastGradients(),
                1e-4,
                0.01 * Dl4jParity.maxAbs(expected));
    }

    @Test
    void theLearnersFirstAdamStepIsDl4jsFit() {
        // Given the fast learner and DL4J's network, both as DL4J initialises them
        ModelSpec spec = CnnClassifierSpec.defaults();
        FastCnnLearner learner = new FastCnnLearner(spec);
        MultiLayerNetwork net = TrainingFamilies.network(spec);
        float[] before = Dl4jWeights.export(spec, net).params();
        assertThat(learner.weights().params()).containsExactly(before);

        // When both learn the first 8 digits as one mini-batch
        List<ImageEvent> digits = DIGITS.subList(0, 8);
        for (ImageEvent digit : digits) {
            offer(learner, digit);
        }
        assertThat(learner.fits()).isEqualTo(1);
        DataSet data =
                dataSet(batch(learner.spec(), digits), spec.get(CnnClassifierSpec.MAX_LABELS));
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        float[] gradient = Dl4jParity.meanGradient(spec, net, digits.size());
        net.fit(data);

        // Then the weights moved alike. Adam's first step is about lr·sign(g) whatever |g|, so
        // where |g| is within DL4J's float32 summation noise the two may differ at will: only
        // entries whose gradient is at least a thousandth of the largest are compared.
        float[] dl4jStep = Dl4jParity.minus(Dl4jWeights.export(spec, net).params(), before);
        float[] fastStep = Dl4jParity.minus(learner.weights().params(), before);
        double floor = 1e-3 * Dl4jParity.maxAbs(gradient);
        int compared = 0;
        for (int i = 0; i < gradient.length; i++) {
            if (Math.abs(gradient[i]) < floor) {
                dl4jStep[i] = 0;
                fastStep[i] = 0;
            } else {
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(gradient.length / 10);
        Dl4jParity.assertClose(
                "Adam step", dl4jStep, fastStep, 1e-4, 0.01 * Dl4jParity.maxAbs(dl4jStep));
    }

    private static List<CnnExample> batch(ModelSpec spec, List<ImageEvent> digits) {
        ModelSpec labelled = spec;
        List<CnnExample> batch = new ArrayList<>();
        for (ImageEvent digit : digits) {
            labelled = CnnClassifierSpec.withLabel(labelled, digit.getLabel());
            batch.add(
                    new CnnExample(
                            pixels(digit),
                            CnnClassifierSpec.labels(labelled).indexOf(digit.getLabel())));
        }
        return batch;
    }

    private static double maxOutputDifference(FastCnnLearner learner, List<byte[]> images)
            throws Exception {
        ModelWeights weights = WeightsCodec.decode(WeightsCodec.encode(learner.weights()));
        MultiLayerNetwork net = TrainingFamilies.network(weights.spec());
        Dl4jWeights.load(weights, net);
        CnnClassifierKernel kernel = new CnnClassifierKernel(weights);
        CnnClassifierKernel.Activations a = kernel.newActivations();
        int channels = weights.spec().get(CnnClassifierSpec.CHANNELS);
        double maxDiff = 0;
        for (byte[] pixels : images) {
            float[] expected =
                    net.output(
                                    Nd4j.create(
                                            channelFirst(pixels, channels),
                                            new long[] {1, pixels.length}),
                                    false)
                            .toFloatVector();
            double[] actual =
                    CnnClassifierKernel.softmax(
                            kernel.forward(CnnClassifierModel.scaled(pixels), a), kernel.slots());
            for (int c = 0; c < expected.length; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[c] - actual[c]));
            }
        }
        return maxDiff;
    }

    /** DL4J's flat image input: scaled, channel-first. */
    private static float[] channelFirst(byte[] pixels, int channels) {
        float[] scaled = CnnClassifierModel.scaled(pixels);
        int positions = pixels.length / channels;
        float[] out = new float[pixels.length];
        for (int p = 0; p < positions; p++) {
            for (int c = 0; c < channels; c++) {
                out[c * positions + p] = scaled[p * channels + c];
            }
        }
        return out;
    }

    /** Grey images (one channel) and their one-hot slots. */
    private static DataSet dataSet(List<CnnExample> batch, int slots) {
        int size = batch.get(0).pixels().length;
        float[][] features = new float[batch.size()][];
        float[][] labels = new float[batch.size()][slots];
        for (int i = 0; i < batch.size(); i++) {
            features[i] = channelFirst(batch.get(i).pixels(), 1);
            labels[i][batch.get(i).slot()] = 1;
        }
        INDArray f = Nd4j.create(features);
        assertThat(f.columns()).isEqualTo(size);
        return new DataSet(f, Nd4j.create(labels));
    }

    private static List<byte[]> images(List<ImageEvent> events) {
        return events.stream().map(CnnParityTest::pixels).toList();
    }

    private static byte[] pixels(ImageEvent e) {
        return DecodeImage.pixels(e.getPixels());
    }

    private static void offer(FastCnnLearner learner, ImageEvent e) {
        learner.offer(e.getWidth(), e.getHeight(), e.getChannels(), pixels(e), e.getLabel());
    }

    private static byte[] randomPixels(Random random) {
        byte[] pixels = new byte[12 * 11 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(3) == 0 ? 0 : (byte) random.nextInt(256);
        }
        return pixels;
    }
}
