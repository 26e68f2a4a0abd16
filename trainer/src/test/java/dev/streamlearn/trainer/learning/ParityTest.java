package dev.streamlearn.trainer.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.family.lstm.LstmForecasterKernel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.family.text.HashingTokenizer;
import dev.streamlearn.models.family.text.TextClassifierKernel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.family.lstm.ForecasterLearner;
import dev.streamlearn.trainer.family.text.TextClassifierLearner;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Train/serve parity: weights trained by DL4J, exported, encoded and decoded, give the same outputs
 * in the plain-Java kernels as DL4J's own {@code output()} on real inputs.
 */
class ParityTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void textKernelMatchesDl4jOutputOnRealMessagesAfterTraining() throws Exception {
        ModelSpec spec = TextClassifierSpec.defaults();
        TextClassifierLearner learner = new TextClassifierLearner(spec);
        List<TextEvent> events = Datasets.spam(260);
        for (TextEvent e : events.subList(0, 200)) {
            learner.offer(e.getText(), e.getLabel());
        }
        assertThat(learner.fits()).isEqualTo(25);
        ModelWeights weights = WeightsCodec.decode(WeightsCodec.encode(learner.weights()));
        TextClassifierKernel kernel = new TextClassifierKernel(weights);
        HashingTokenizer tokenizer = new HashingTokenizer(weights.spec());
        MultiLayerNetwork net = learner.network();

        double maxDiff = 0;
        for (TextEvent e : events.subList(200, 260)) {
            TokenizedText tokens = tokenizer.tokenize(e.getText());
            int n = tokens.length();
            float[] ids = new float[n];
            for (int t = 0; t < n; t++) {
                ids[t] = tokens.ids()[t];
            }
            INDArray features = Nd4j.create(ids, new long[] {1, n}, 'c');
            INDArray mask = Nd4j.ones(1, n);
            float[] expected = net.output(features, false, mask, null).toFloatVector();
            float[] actual = kernel.probabilities(tokens.ids());
            for (int c = 0; c < expected.length; c++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[c] - actual[c]));
            }
        }
        System.err.printf("text parity: max |kernel - DL4J| = %.3g over 60 messages%n", maxDiff);
        assertThat(maxDiff).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void lstmKernelMatchesDl4jOutputOnRealWindowsAfterTraining() throws Exception {
        ModelSpec spec = LstmForecasterSpec.defaults();
        ForecasterLearner learner = new ForecasterLearner(spec);
        double[] births = Datasets.series("us-births-1969-1988.csv", "births", 400);
        SeriesWindows windows = new SeriesWindows(spec);
        int w = windows.window();
        for (int i = 0; i + w < 300; i++) {
            learner.offer(windows.normalise(births, i), births[i + w]);
        }
        assertThat(learner.fits()).isGreaterThan(30);
        ModelWeights weights = WeightsCodec.decode(WeightsCodec.encode(learner.weights()));
        LstmForecasterKernel kernel = new LstmForecasterKernel(weights);
        MultiLayerNetwork net = learner.network();

        double maxDiff = 0;
        for (int i = 300; i + w < births.length; i++) {
            NormalisedWindow window = windows.normalise(births, i);
            float expected =
                    net.output(Nd4j.create(window.inputs(), new long[] {1, 1, w}, 'c')).getFloat(0);
            maxDiff = Math.max(maxDiff, Math.abs(expected - kernel.forward(window.inputs())));
        }
        System.err.printf("LSTM parity: max |kernel - DL4J| = %.3g over 68 windows%n", maxDiff);
        assertThat(maxDiff).isLessThanOrEqualTo(TOLERANCE);
    }
}
