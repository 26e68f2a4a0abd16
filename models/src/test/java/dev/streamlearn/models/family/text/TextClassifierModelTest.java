package dev.streamlearn.models.family.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextClassifierModelTest {

    static ModelWeights randomWeights(ModelSpec spec, long seed) {
        Random random = new Random(seed);
        float[] params = new float[ParameterLayout.of(spec).size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) random.nextGaussian();
        }
        return new ModelWeights(spec, params);
    }

    private static ModelSpec smallSpec(String... labels) {
        ModelSpec spec =
                TextClassifierSpec.defaults()
                        .with(TextClassifierSpec.VOCAB_SIZE, 64)
                        .with(TextClassifierSpec.EMBEDDING_SIZE, 5)
                        .with(TextClassifierSpec.MAX_LABELS, 4);
        for (String label : labels) {
            spec = TextClassifierSpec.withLabel(spec, label);
        }
        return spec;
    }

    @Test
    void tokenContributionsAndTheBiasAddUpToTheWinningLogit() {
        TextClassifierModel model =
                new TextClassifierModel(randomWeights(smallSpec("ham", "spam"), 1));
        TextPrediction p = model.predict("Win money now, win big money");
        double sum =
                p.bias()
                        + p.contributions().stream()
                                .mapToDouble(TokenContribution::contribution)
                                .sum();
        assertThat(sum).isCloseTo(p.logit(), within(1e-5));
        assertThat(p.contributions())
                .extracting(TokenContribution::token)
                .containsExactly("win", "money", "now", "big", "^win", "money$");
        assertThat(p.contributions())
                .extracting(TokenContribution::count)
                .containsExactly(2, 2, 1, 1, 1, 1);
    }

    @Test
    void aKernelWhoseWeightsChangeUnderItScoresAsAFreshKernelOfTheNewWeights() {
        // Given a learner's kernel, refreshed after each change of its weights in place
        ModelWeights w = randomWeights(smallSpec("a", "b", "c"), 7);
        TextClassifierKernel live = new TextClassifierKernel(w, 3);
        int[] ids = {1, 9, 9, 40, 63};
        live.logits(ids);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < w.params().length; i += 3) {
                w.params()[i] += 0.25f;
            }
            live.refresh();

            // Then it scores from the average embedding as a table kernel does from its rows
            TextClassifierKernel fresh = new TextClassifierKernel(w, 3);
            float[] expected = fresh.logits(ids);
            float[] actual = live.logits(ids);
            for (int c = 0; c < 3; c++) {
                assertThat(actual[c]).isCloseTo(expected[c], within(1e-5f));
                assertThat(live.contribution(9, c, ids.length))
                        .isEqualTo(fresh.contribution(9, c, ids.length));
            }
        }
    }

    @Test
    void probabilitiesCoverOnlyTheLabelsLearnedSoFar() {
        TextClassifierModel model =
                new TextClassifierModel(randomWeights(smallSpec("ham", "spam"), 2));
        TextPrediction p = model.predict("hello there");
        assertThat(p.probabilities()).containsOnlyKeys("ham", "spam");
        assertThat(p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-6));
        assertThat(p.label())
                .isEqualTo(p.probabilityOf("ham") >= p.probabilityOf("spam") ? "ham" : "spam");
    }

    @Test
    void testingALabelledTextGivesThePredictionsLabelAndProbabilityOfTheActualLabel() {
        TextClassifierModel model =
                new TextClassifierModel(randomWeights(smallSpec("ham", "spam", "eggs"), 5));
        for (String text : List.of("cheap pills now", "meeting at noon", "eggs and spam", "x")) {
            TokenizedText tokens = model.tokenizer().tokenize(text);
            TextPrediction predicted = model.predict(tokens);
            for (String actual : List.of("ham", "spam", "eggs")) {
                TestedText tested = model.test(tokens, actual);
                assertThat(tested.predicted()).isEqualTo(predicted.label());
                assertThat(tested.probabilityOfActual()).isEqualTo(predicted.probabilityOf(actual));
            }
            assertThat(model.test(tokens, "never seen").probabilityOfActual()).isZero();
        }
        assertThat(
                        new TextClassifierModel(randomWeights(smallSpec(), 6))
                                .test(model.tokenizer().tokenize("hello"), "ham"))
                .isEqualTo(new TestedText(null, 0));
    }

    @Test
    void withoutAnyLabelTheModelPredictsNothing() {
        TextPrediction p = new TextClassifierModel(randomWeights(smallSpec(), 3)).predict("hello");
        assertThat(p.label()).isNull();
        assertThat(p.probabilityOf("ham")).isZero();
    }

    @Test
    void theKernelIsTheAverageEmbeddingThroughALinearSoftmax() {
        ModelSpec spec = smallSpec("a", "b");
        ModelWeights w = randomWeights(spec, 4);
        int[] ids = {3, 7, 3};
        // Straightforward recomputation, independent of the kernel's loop order.
        ParameterLayout layout = ParameterLayout.of(spec);
        int dim = 5;
        int k = 4;
        double[] logits = new double[k];
        for (int c = 0; c < k; c++) {
            logits[c] = w.params()[layout.block("2_b").offset() + c];
            for (int d = 0; d < dim; d++) {
                double avg = 0;
                for (int id : ids) {
                    avg += w.params()[layout.block("0_W").offset() + id * dim + d] / 3.0;
                }
                logits[c] += avg * w.params()[layout.block("2_W").offset() + d * k + c];
            }
        }
        float[] actual = new TextClassifierKernel(w).logits(ids);
        for (int c = 0; c < k; c++) {
            assertThat((double) actual[c]).isCloseTo(logits[c], within(1e-5));
        }
    }

    @Test
    void aKernelOverTheSlotsInUseGivesTheSameLogitsAsTheFullKernelOnThoseSlots() {
        ModelWeights w = randomWeights(smallSpec("a", "b"), 5);
        int[] ids = {1, 9, 9, 40};
        float[] full = new TextClassifierKernel(w).logits(ids);
        float[] active = new TextClassifierKernel(w, 2).logits(ids);
        assertThat(active).hasSize(2);
        assertThat(active[0]).isEqualTo(full[0]);
        assertThat(active[1]).isEqualTo(full[1]);
    }
}
