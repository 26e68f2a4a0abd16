package dev.streamlearn.trainer.family.lstm;

import static dev.streamlearn.trainer.learning.Dl4jParity.assertClose;
import static dev.streamlearn.trainer.learning.Dl4jParity.maxAbs;
import static dev.streamlearn.trainer.learning.Dl4jParity.minus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.lstm.LinearPart;
import dev.streamlearn.models.family.lstm.LstmForecasterModel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.Engine;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.trainer.learning.Dl4jParity;
import dev.streamlearn.trainer.learning.Dl4jWeights;
import dev.streamlearn.trainer.learning.Snapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Deeplearning4j is the reference of {@code lstm-forecaster}: from the same weights and on the same
 * mini-batch, the plain-Java learner ({@code engine=fast}) computes DL4J's gradients ({@code
 * computeGradientAndScore}, backpropagation through the whole window) and takes DL4J's Adam steps
 * ({@code fit}), block by block.
 *
 * <p>Tolerance: every entry within a relative difference of 1e-4, {@code |a − b| / max(|a|, |b|,
 * floor) ≤ 1e-4}. The floor is 1e-6 for the Adam steps. For the gradients it is 1e-3 (the largest
 * entry here is about 1.7), so an entry below 1e-3 is held to 1e-7 absolute: the input-weight
 * gradient {@code Σ x_t·dz_t} of a normalised (zero-mean) window cancels heavily — on this batch
 * one entry is a sum of 256 float32 terms whose magnitudes add up to 0.32 and which sum to 6.9e-6 —
 * and there DL4J and this learner each lie a few 1e-8 from the double-precision sum, in opposite
 * directions. Every other gradient entry agrees within 1.1e-5 relative.
 */
class FastForecasterParityTest {
    private static final double RELATIVE = 1e-4;
    private static final double GRADIENT_FLOOR = 1e-3;
    private static final double STEP_FLOOR = 1e-6;

    /**
     * A full window of the default length, few units; the LSTM alone, the network both engines
     * compute (a linear part is fitted beside it alike by both: see {@link
     * #bothEnginesFitTheLinearPartAlikeAndTheirModelsScoreAsAFreshKernel}).
     */
    private static final ModelSpec SPEC =
            LstmForecasterSpec.defaults()
                    .with(LstmForecasterSpec.WINDOW, 32)
                    .with(LstmForecasterSpec.HIDDEN_SIZE, 6)
                    .with(LstmForecasterSpec.ENGINE, Engine.FAST)
                    .with(LstmForecasterSpec.STRUCTURE, LstmForecasterSpec.LSTM_ONLY);

    @Test
    void gradientsOfAMiniBatchAreDl4js() {
        // Given both engines on the same (trained-looking, not initial) weights
        ModelWeights weights = randomWeights(7);
        FastForecasterLearner fast = new FastForecasterLearner(SPEC);
        fast.startFrom(weights);
        ForecasterLearner dl4j = new ForecasterLearner(SPEC);
        dl4j.startFrom(weights);
        List<SeriesExample> batch = batch(11);
        // When each computes the gradient of the mini-batch's loss
        float[] actual = fast.gradientOf(batch);
        MultiLayerNetwork net = dl4j.network();
        DataSet data = dl4j.batch(batch);
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        // Then they agree, block by block, on the mean loss's gradient
        float[] expected = Dl4jParity.meanGradient(SPEC, net, batch.size());
        assertClose("gradient", expected, actual, RELATIVE, GRADIENT_FLOOR);
        assertThat(maxAbs(actual)).isGreaterThan(1e-3);
    }

    @Test
    void oneAdamStepOnAMiniBatchIsDl4jsFromTheFirstIteration() {
        adamStepMatchesDl4j(0);
    }

    @Test
    void oneAdamStepOnAMiniBatchIsDl4jsLaterOn() {
        // Adam's bias correction depends on the iteration: 50 is far from both 0 and its limit.
        adamStepMatchesDl4j(50);
    }

    /** One step from the same weights and fresh moments at {@code iteration}. */
    private static void adamStepMatchesDl4j(int iteration) {
        ModelWeights weights = randomWeights(8 + iteration);
        FastForecasterLearner fresh = new FastForecasterLearner(SPEC);
        fresh.startFrom(weights);
        FastForecasterLearner fast =
                FastForecasterLearner.restore(Snapshots.atIteration(fresh.snapshot(), iteration));
        ForecasterLearner dl4j = new ForecasterLearner(SPEC);
        dl4j.startFrom(weights);
        MultiLayerNetwork net = dl4j.network();
        net.setIterationCount(iteration);
        List<SeriesExample> batch = batch(12);

        double score = fast.fit(batch);
        net.fit(dl4j.batch(batch));

        assertThat(score).isCloseTo(net.score(), Offset.offset(1e-5 * Math.max(1, net.score())));
        float[] before = weights.params();
        float[] expected = minus(Dl4jWeights.export(SPEC, net).params(), before);
        float[] actual = minus(fast.weights().params(), before);
        assertClose("Adam step at iteration " + iteration, expected, actual, RELATIVE, STEP_FLOOR);
        assertThat(maxAbs(expected)).isGreaterThan(1e-3);
        assertThat(fast.steps()).isEqualTo(iteration + 1);
    }

    @Test
    void startsFromDl4jsInitialWeights() {
        assertThat(new FastForecasterLearner(SPEC).weights().params())
                .isEqualTo(new ForecasterLearner(SPEC).weights().params());
    }

    @Test
    void bothEnginesFitTheLinearPartAlikeAndTheirModelsScoreAsAFreshKernel() {
        // Given both engines with a linear part and a season, from the same weights
        ModelSpec spec =
                SPEC.with(LstmForecasterSpec.STRUCTURE, LstmForecasterSpec.LINEAR_AND_LSTM)
                        .with(LstmForecasterSpec.SEASONS, "40");
        ModelWeights start =
                new ModelWeights(
                        spec,
                        java.util.Arrays.copyOf(
                                randomWeights(5).params(), ParameterLayout.of(spec).size()));
        FastForecasterLearner fast = new FastForecasterLearner(spec);
        fast.startFrom(start);
        ForecasterLearner dl4j =
                new ForecasterLearner(spec.with(LstmForecasterSpec.ENGINE, Engine.DL4J));
        dl4j.startFrom(
                new ModelWeights(
                        spec.with(LstmForecasterSpec.ENGINE, Engine.DL4J), start.params()));
        SeriesWindows windows = new SeriesWindows(spec);
        double[] series = new double[200];
        SplittableRandom random = new SplittableRandom(3);
        for (int t = 0; t < series.length; t++) {
            series[t] = 100 + 10 * Math.sin(t * 2 * Math.PI / 40) + random.nextGaussian();
        }
        ParameterLayout layout = ParameterLayout.of(spec);
        int linear = layout.block(LinearPart.WEIGHTS).offset();
        // When both learn the same stream (the LSTMs step on the same residuals)
        for (int t = 0; t + 32 < series.length; t++) {
            NormalisedWindow w = windows.normalise(series, t);
            fast.offer(w, series[t + 32]);
            dl4j.offer(w, series[t + 32]);
            // Then the linear parts are bitwise the same, after every example
            assertThat(java.util.Arrays.copyOfRange(fast.weights().params(), linear, layout.size()))
                    .as("linear part after example %d", t)
                    .isEqualTo(
                            java.util.Arrays.copyOfRange(
                                    dl4j.weights().params(), linear, layout.size()));
            // and each learner's model forecasts exactly as a kernel built from its weights
            NormalisedWindow next = windows.normalise(series, t + 1);
            assertThat(fast.model().forecast(next))
                    .isEqualTo(new LstmForecasterModel(fast.weights()).forecast(next));
            assertThat(dl4j.model().forecast(next))
                    .isEqualTo(new LstmForecasterModel(dl4j.weights()).forecast(next));
        }
        assertThat(fast.fits()).isEqualTo(dl4j.fits()).isGreaterThan(10);
        assertClose(
                "LSTM after the stream",
                java.util.Arrays.copyOf(dl4j.weights().params(), linear),
                java.util.Arrays.copyOf(fast.weights().params(), linear),
                1e-3,
                1e-3);
        assertThat(
                        maxAbs(
                                java.util.Arrays.copyOfRange(
                                        fast.weights().params(), linear, layout.size())))
                .isGreaterThan(0.05);
    }

    private static ModelWeights randomWeights(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] params = new float[ParameterLayout.of(SPEC).size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) ((random.nextDouble() - 0.5) * 0.8);
        }
        return new ModelWeights(SPEC, params);
    }

    /** Eight normalised-looking windows (a noisy wave), targets within ±2 window scales. */
    private static List<SeriesExample> batch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<SeriesExample> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float[] inputs = new float[SPEC.get(LstmForecasterSpec.WINDOW)];
            double phase = random.nextDouble() * 6;
            for (int t = 0; t < inputs.length; t++) {
                inputs[t] = (float) (Math.sin(phase + 0.4 * t) + 0.3 * random.nextGaussian());
            }
            batch.add(new SeriesExample(inputs, (float) ((random.nextDouble() - 0.5) * 4)));
        }
        return batch;
    }
}
