package dev.streamlearn.models.family.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.text.TestedText;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttentionTextModelTest {

    private static final ModelSpec SPEC =
            ModelSpec.fromMap(
                    AttentionTextFamily.INSTANCE,
                    Map.of(
                            "vocabSize", "64",
                            "dModel", "8",
                            "heads", "2",
                            "ffSize", "4",
                            "maxTokens", "6",
                            "maxLabels", "4",
                            "labels", "ham,spam"));

    private final AttentionTextModel model =
            new AttentionTextModel(
                    new ModelWeights(SPEC, AttentionTextKernelTest.randomWeights(SPEC, 2)));

    @Test
    void readsALongTextsFirstAndLastWordsAndItsEdgesWithTheTextClassifiersHashing() {
        TokenizedText tokens =
                model.tokenizer().tokenize("One two three four five six seven eight nine");

        int[] kept = TokenSelection.positions(tokens, 6);

        assertThat(java.util.Arrays.stream(kept).mapToObj(tokens::token))
                .containsExactly("one", "two", "three", "seven", "eight", "nine", "^one", "nine$");
        assertThat(TokenSelection.ids(tokens, kept)[3])
                .isEqualTo(
                        new dev.streamlearn.models.family.text.HashingTokenizer(64, 400)
                                .id("seven"));
    }

    @Test
    void aShortTextIsReadWhole() {
        TokenizedText tokens = model.tokenizer().tokenize("only four words here");

        assertThat(TokenSelection.positions(tokens, 6)).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void eachDistinctTokenGetsTheAttentionOfAllItsPositions() {
        TokenizedText tokens = model.tokenizer().tokenize("cheap pills cheap now");

        AttentionPrediction prediction = model.predict(tokens);

        assertThat(prediction.attention())
                .extracting(TokenAttention::token, TokenAttention::count)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cheap", 2),
                        org.assertj.core.groups.Tuple.tuple("pills", 1),
                        org.assertj.core.groups.Tuple.tuple("now", 1),
                        org.assertj.core.groups.Tuple.tuple("^cheap", 1),
                        org.assertj.core.groups.Tuple.tuple("now$", 1));
        assertThat(prediction.attention().stream().mapToDouble(TokenAttention::attention).sum())
                .isCloseTo(1, within(1e-12));
        assertThat(prediction.strongest(1).get(0).attention())
                .isEqualTo(
                        prediction.attention().stream()
                                .mapToDouble(TokenAttention::attention)
                                .max()
                                .orElseThrow());
    }

    @Test
    void probabilitiesAreOverTheKnownLabelsAndTestAgreesWithPredict() {
        TokenizedText tokens = model.tokenizer().tokenize("win a prize today");

        AttentionPrediction prediction = model.predict(tokens);
        TestedText tested = model.test(tokens, "spam");

        assertThat(prediction.probabilities()).containsOnlyKeys("ham", "spam");
        assertThat(prediction.probabilityOf("ham") + prediction.probabilityOf("spam"))
                .isCloseTo(1, within(1e-12));
        assertThat(tested.predicted()).isEqualTo(prediction.label());
        assertThat(tested.probabilityOfActual()).isEqualTo(prediction.probabilityOf("spam"));
        assertThat(model.test(tokens, "unknown").probabilityOfActual()).isZero();
    }

    @Test
    void growingKeepsEveryLearnedLogitExactly() {
        ModelWeights before =
                new ModelWeights(SPEC, AttentionTextKernelTest.randomWeights(SPEC, 4));
        int[] ids = model.tokenizer().tokenize("the same text before and after").ids();

        ModelWeights after = AttentionLabelGrowth.grow(before, 8);

        double[] old = new AttentionTextKernel(before).forward(ids, newPass(before));
        double[] grown = new AttentionTextKernel(after).forward(ids, newPass(after));
        assertThat(after.spec().get(AttentionTextSpec.MAX_LABELS)).isEqualTo(8);
        assertThat(after.params()).hasSize(ParameterLayout.of(after.spec()).size());
        for (int c = 0; c < 4; c++) {
            assertThat(grown[c]).isEqualTo(old[c]);
        }
    }

    private static AttentionTextKernel.Pass newPass(ModelWeights weights) {
        return new AttentionTextKernel(weights).newPass();
    }
}
