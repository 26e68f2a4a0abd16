package dev.streamlearn.trainer.family.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.attention.AttentionTextKernel;
import dev.streamlearn.models.family.attention.AttentionTextSpec;
import dev.streamlearn.models.family.attention.TokenSelection;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.learning.Datasets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Train/serve parity of {@code attention-text-classifier} with DL4J: weights the plain-Java learner
 * learned from SpamAssassin mails, encoded and decoded, give in the scoring kernel the
 * probabilities of the same block written as a SameDiff graph ({@link AttentionSameDiff}); and the
 * learner's gradient of a mini-batch's mean cross-entropy is SameDiff's automatic differentiation
 * of it: in double precision to a relative 1e-9 (so the kernel's backward is the exact derivative
 * of the block SameDiff writes), and in single precision, as DL4J runs a network, to the tolerance
 * the other families' gradients meet. Seconds, most of them SameDiff's gradients of the embedding.
 */
class AttentionParityTest {
    private static final List<TextEvent> MAILS = Datasets.spam(400);

    private static FastAttentionLearner learner;

    @BeforeAll
    static void learnTheFirst300Mails() {
        learner = new FastAttentionLearner(AttentionTextSpec.defaults());
        for (TextEvent mail : MAILS.subList(0, 300)) {
            learner.offer(tokens(mail), mail.getLabel());
        }
        assertThat(learner.fits()).isEqualTo(37);
    }

    @Test
    void theBlockHasLearnedBeyondTheEmbeddingBag() {
        // The initial residual branches end in zero matrices; parity on them would test the bag
        ModelWeights weights = learner.weights();
        ParameterLayout layout = ParameterLayout.of(weights.spec());
        for (String block : List.of("1_P", "1_Wo", "1_W2")) {
            assertThat(
                            maxAbs(
                                    weights.params(),
                                    layout.block(block).offset(),
                                    layout.block(block).length()))
                    .as(block)
                    .isGreaterThan(1e-3);
        }
    }

    @Test
    void theKernelGivesSameDiffsProbabilitiesOnLearnedWeights() throws Exception {
        // Given the learned weights, encoded and decoded, in the kernel and in a float32 graph
        ModelWeights weights = WeightsCodec.decode(WeightsCodec.encode(learner.weights()));
        AttentionTextKernel kernel = new AttentionTextKernel(weights);
        AttentionTextKernel.Pass pass = kernel.newPass();
        AttentionSameDiff graph = new AttentionSameDiff(weights, DataType.FLOAT);

        // When both score the next 100 mails
        double maxDiff = 0;
        for (TextEvent mail : MAILS.subList(300, 400)) {
            int[] ids = ids(mail);
            double[] expected = graph.probabilities(ids);
            double[] actual =
                    AttentionTextKernel.softmax(kernel.forward(ids, pass), kernel.slots());
            for (int c = 0; c < expected.length; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[c] - actual[c]));
            }
        }

        // Then every slot's probability agrees
        assertThat(maxDiff).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void theLearnersGradientIsSameDiffsInDoublePrecision() {
        // Given the learned weights in a float64 graph, and the next 8 mails as a mini-batch
        AttentionSameDiff graph = new AttentionSameDiff(learner.weights(), DataType.DOUBLE);
        List<AttentionExample> batch = batch(MAILS.subList(300, 308));

        // When both take the gradient of the mini-batch's mean cross-entropy
        double[] expected = graph.meanGradient(batch);
        double[] actual = learner.gradientOf(batch);

        // Then they agree entry by entry to what double arithmetic in two orders leaves
        assertClose(expected, actual, 1e-9, 1e-6 * maxAbs(expected, 0, expected.length));
    }

    @Test
    void theLearnersGradientIsSameDiffsInSinglePrecision() {
        // Given the learned weights in a float32 graph, as DL4J runs a network, and a mini-batch
        AttentionSameDiff graph = new AttentionSameDiff(learner.weights(), DataType.FLOAT);
        List<AttentionExample> batch = batch(MAILS.subList(308, 316));

        // When both take the gradient of the mini-batch's mean cross-entropy
        double[] expected = graph.meanGradient(batch);
        double[] actual = learner.gradientOf(batch);

        // Then they agree as the other families' gradients agree with DL4J's: float32 sums, so
        // entries a hundred times smaller than the largest are compared at its hundredth
        assertClose(expected, actual, 1e-4, 0.01 * maxAbs(expected, 0, expected.length));
    }

    private static List<AttentionExample> batch(List<TextEvent> mails) {
        List<String> labels = AttentionTextSpec.labels(learner.spec());
        List<AttentionExample> batch = new ArrayList<>();
        for (TextEvent mail : mails) {
            batch.add(new AttentionExample(ids(mail), labels.indexOf(mail.getLabel())));
        }
        return batch;
    }

    private static TokenizedText tokens(TextEvent mail) {
        return learner.model().tokenizer().tokenize(mail.getText());
    }

    private static int[] ids(TextEvent mail) {
        TokenizedText text = tokens(mail);
        return TokenSelection.ids(
                text,
                TokenSelection.positions(text, learner.spec().get(AttentionTextSpec.MAX_TOKENS)));
    }

    private static void assertClose(
            double[] expected, double[] actual, double relative, double floor) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(floor, Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
            double difference = Math.abs(expected[i] - actual[i]) / scale;
            if (difference > worst) {
                worst = difference;
                at = i;
            }
        }
        assertThat(worst)
                .as(
                        "worst relative difference at %d (SameDiff %s, kernel %s)",
                        at, at < 0 ? "-" : expected[at], at < 0 ? "-" : actual[at])
                .isLessThanOrEqualTo(relative);
    }

    private static double maxAbs(double[] values, int from, int length) {
        double max = 0;
        for (int i = from; i < from + length; i++) {
            max = Math.max(max, Math.abs(values[i]));
        }
        return max;
    }

    private static double maxAbs(float[] values, int from, int length) {
        double max = 0;
        for (int i = from; i < from + length; i++) {
            max = Math.max(max, Math.abs(values[i]));
        }
        return max;
    }
}
