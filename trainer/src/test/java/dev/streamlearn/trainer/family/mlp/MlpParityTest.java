package dev.streamlearn.trainer.family.mlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.ingestion.generate.SyntheticXor;
import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.mlp.MlpClassifierKernel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.learning.Dl4jParity;
import dev.streamlearn.trainer.learning.Dl4jWeights;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Train/serve parity of {@code mlp-classifier}: weights learned by the plain-Java learner, encoded
 * and decoded, give DL4J's {@code output()} in the scoring kernel; and the learner's gradient of a
 * mini-batch is DL4J's on the same weights.
 */
class MlpParityTest {
    private static final double TOLERANCE = 1e-5;
    private static final ModelSpec SPEC =
            MlpClassifierSpec.defaults().with(MlpClassifierSpec.HIDDEN, "16,8");

    @Test
    void theKernelGivesDl4jsOutputOnLearnedWeights() throws Exception {
        // Given a learner that has learned 2,000 XOR points
        FastMlpLearner learner = new FastMlpLearner(SPEC);
        SyntheticXor xor = new SyntheticXor(3, 2_060, 0.3);
        for (int i = 0; i < 2_000; i++) {
            VectorEvent e = xor.next();
            learner.offer(DecodeVector.features(e.getFeatures()), e.getLabel());
        }
        assertThat(learner.fits()).isEqualTo(250);
        ModelWeights weights = WeightsCodec.decode(WeightsCodec.encode(learner.weights()));
        MultiLayerNetwork net = TrainingFamilies.network(weights.spec());
        Dl4jWeights.load(weights, net);
        MlpClassifierKernel kernel = new MlpClassifierKernel(weights);

        // When both score the next 60 points
        double maxDiff = 0;
        while (xor.hasNext()) {
            double[] x = DecodeVector.features(xor.next().getFeatures());
            INDArray input =
                    Nd4j.create(new float[] {(float) x[0], (float) x[1]}, new long[] {1, 2});
            float[] expected = net.output(input, false).toFloatVector();
            double[] actual =
                    MlpClassifierKernel.softmax(
                            kernel.forward(x, kernel.newHidden()), kernel.slots());
            for (int c = 0; c < expected.length; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[c] - actual[c]));
            }
        }

        // Then every slot's probability agrees
        assertThat(maxDiff).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void theLearnersGradientIsDl4jsOnTheSameMiniBatch() {
        // Given DL4J's network and the fast learner on the same initial weights, and a mini-batch
        FastMlpLearner learner = new FastMlpLearner(SPEC);
        ModelSpec labelled =
                MlpClassifierSpec.withLabel(
                        MlpClassifierSpec.withLabel(SPEC, SyntheticXor.SAME),
                        SyntheticXor.DIFFERENT);
        MultiLayerNetwork net = TrainingFamilies.network(SPEC);
        List<MlpExample> batch = new ArrayList<>();
        SyntheticXor xor = new SyntheticXor(5, 8, 0.3);
        int k = SPEC.get(MlpClassifierSpec.MAX_LABELS);
        float[][] features = new float[8][2];
        float[][] labels = new float[8][k];
        for (int i = 0; i < 8; i++) {
            VectorEvent e = xor.next();
            double[] x = DecodeVector.features(e.getFeatures());
            int slot = MlpClassifierSpec.labels(labelled).indexOf(e.getLabel());
            batch.add(new MlpExample(x, slot));
            features[i] = new float[] {(float) x[0], (float) x[1]};
            labels[i][slot] = 1;
        }

        // When both compute the gradient of the mini-batch's loss
        learner.gradients(batch);
        net.setInput(Nd4j.create(features));
        net.setLabels(Nd4j.create(labels));
        net.computeGradientAndScore();

        // Then they agree entry by entry; DL4J sums in float32, so entries a hundred times
        // smaller than the largest are compared at the largest one's hundredth
        float[] expected = Dl4jParity.meanGradient(SPEC, net, batch.size());
        Dl4jParity.assertClose(
                "gradient",
                expected,
                learner.lastGradients(),
                1e-4,
                0.01 * Dl4jParity.maxAbs(expected));
    }
}
