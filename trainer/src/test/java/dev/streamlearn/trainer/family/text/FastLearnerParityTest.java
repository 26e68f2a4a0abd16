package dev.streamlearn.trainer.family.text;

import static dev.streamlearn.trainer.learning.Dl4jParity.assertClose;
import static dev.streamlearn.trainer.learning.Dl4jParity.maxAbs;
import static dev.streamlearn.trainer.learning.Dl4jParity.minus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.text.TextClassifierSpec;
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
 * Deeplearning4j is the reference of {@code text-classifier}: from the same weights and on the same
 * mini-batch, the plain-Java learner ({@code engine=fast}) computes DL4J's gradients ({@code
 * computeGradientAndScore}) and takes DL4J's Adam steps ({@code fit}), block by block.
 *
 * <p>Tolerance: every entry within a relative difference of 1e-4, {@code |a − b| / max(|a|, |b|,
 * 1e-6) ≤ 1e-4}; the absolute floor of 1e-6 only matters for entries near zero, where float32
 * rounding in a different summation order is all that differs.
 */
class FastLearnerParityTest {
    private static final double RELATIVE = 1e-4;
    private static final double FLOOR = 1e-6;

    /** Small, but with texts that share tokens and a token repeated within a text. */
    private static final ModelSpec SPEC =
            TextClassifierSpec.defaults()
                    .with(TextClassifierSpec.VOCAB_SIZE, 256)
                    .with(TextClassifierSpec.EMBEDDING_SIZE, 16)
                    .with(TextClassifierSpec.MAX_LABELS, 5)
                    .with(TextClassifierSpec.LABELS, "a,b,c")
                    .with(TextClassifierSpec.ENGINE, Engine.FAST);

    @Test
    void gradientsOfAMiniBatchAreDl4js() {
        // Given both engines on the same (trained-looking, not initial) weights
        ModelWeights weights = randomWeights(7);
        FastTextClassifierLearner fast = new FastTextClassifierLearner(SPEC);
        fast.startFrom(weights);
        TextClassifierLearner dl4j = new TextClassifierLearner(SPEC);
        dl4j.startFrom(weights);
        List<TextExample> batch = batch(11);
        // When each computes the gradient of the mini-batch's loss
        float[] actual = fast.gradientOf(batch);
        MultiLayerNetwork net = dl4j.network();
        DataSet data = dl4j.batch(batch);
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.setLayerMaskArrays(data.getFeaturesMaskArray(), null);
        net.computeGradientAndScore();
        // Then they agree, block by block, on the mean loss's gradient
        float[] expected = Dl4jParity.meanGradient(SPEC, net, batch.size());
        assertClose("gradient", expected, actual, RELATIVE, FLOOR);
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

    /**
     * One step from the same weights and fresh moments at {@code iteration}. The fast learner moves
     * the updated rows on by the momentum drift at once; {@code denseParams()} takes that back,
     * which is where DL4J's dense Adam stands after the step.
     */
    private static void adamStepMatchesDl4j(int iteration) {
        ModelWeights weights = randomWeights(8 + iteration);
        FastTextClassifierLearner fresh = new FastTextClassifierLearner(SPEC);
        fresh.startFrom(weights);
        FastTextClassifierLearner fast =
                FastTextClassifierLearner.restore(
                        Snapshots.atIteration(fresh.snapshot(), iteration));
        TextClassifierLearner dl4j = new TextClassifierLearner(SPEC);
        dl4j.startFrom(weights);
        MultiLayerNetwork net = dl4j.network();
        net.setIterationCount(iteration);
        List<TextExample> batch = batch(12);

        double score = fast.fit(batch);
        net.fit(dl4j.batch(batch));

        assertThat(score).isCloseTo(net.score(), Offset.offset(1e-5));
        float[] before = weights.params();
        float[] expected = minus(Dl4jWeights.export(SPEC, net).params(), before);
        float[] actual = minus(fast.denseParams(), before);
        assertClose("Adam step at iteration " + iteration, expected, actual, RELATIVE, FLOOR);
        assertThat(maxAbs(expected)).isGreaterThan(1e-3);
        assertThat(fast.steps()).isEqualTo(iteration + 1);
    }

    private static ModelWeights randomWeights(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] params = new float[ParameterLayout.of(SPEC).size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) ((random.nextDouble() - 0.5) * 0.6);
        }
        return new ModelWeights(SPEC, params);
    }

    /** Eight texts of 1 to 30 tokens over 40 of the 256 ids, labels in the three used slots. */
    private static List<TextExample> batch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TextExample> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] ids = new int[1 + random.nextInt(30)];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = 1 + random.nextInt(40);
            }
            batch.add(new TextExample(ids, random.nextInt(3)));
        }
        return batch;
    }
}
