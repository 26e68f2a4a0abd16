package dev.streamlearn.trainer.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.text.HashingTokenizer;
import dev.streamlearn.models.family.text.StringTokenizerReference;
import dev.streamlearn.models.family.text.TextClassifierKernel;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.family.text.TextPrediction;
import dev.streamlearn.models.family.text.TokenContribution;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.schemas.avro.TextEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer hashes tokens in place, without a string per token; on every SpamAssassin message
 * it must give exactly what lower-casing the whole text, cutting it into strings and hashing those
 * gave before (the ids every version trained so far was trained on), and the explanations built on
 * it must be the ones grouping by those strings gave.
 */
class HashingTokenizerOnSpamAssassinTest {
    private static final List<TextEvent> MAILS = Datasets.spam(Integer.MAX_VALUE);

    @Test
    void everyMessageGetsTheIdsAndTokensOfLowerCasingTheWholeText() {
        assertThat(MAILS).hasSizeGreaterThan(6000);
        for (int maxTokens :
                new int[] {
                    TextClassifierSpec.defaults().get(TextClassifierSpec.MAX_TOKENS), 1_000_000
                }) {
            HashingTokenizer tokenizer = new HashingTokenizer(1 << 14, maxTokens);
            for (TextEvent mail : MAILS) {
                StringTokenizerReference.Tokens expected =
                        new StringTokenizerReference(tokenizer, maxTokens).tokenize(mail.getText());
                TokenizedText actual = tokenizer.tokenize(mail.getText());
                assertThat(actual.ids()).as(mail.getId()).containsExactly(expected.ids());
                assertThat(actual.tokens()).as(mail.getId()).isEqualTo(expected.tokens());
                assertThat(actual.truncated()).as(mail.getId()).isEqualTo(expected.truncated());
            }
        }
    }

    @Test
    void explanationsGroupByTokenAsGroupingByStringsDid() {
        // Words only, as the string reference tokenizes (edge tokens: EdgeTokensTest).
        ModelSpec spec =
                TextClassifierSpec.defaults()
                        .with(TextClassifierSpec.LABELS, "ham,spam")
                        .with(TextClassifierSpec.EDGE_TOKENS, 0);
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(5);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) random.nextGaussian();
        }
        ModelWeights weights = new ModelWeights(spec, params);
        TextClassifierModel model = new TextClassifierModel(weights);
        TextClassifierKernel kernel = new TextClassifierKernel(weights, 2);
        int maxTokens = spec.get(TextClassifierSpec.MAX_TOKENS);
        for (TextEvent mail : MAILS.subList(0, 1500)) {
            TextPrediction prediction = model.predict(mail.getText());
            StringTokenizerReference.Tokens tokens =
                    new StringTokenizerReference(model.tokenizer(), maxTokens)
                            .tokenize(mail.getText());
            int best = prediction.label().equals("ham") ? 0 : 1;
            double[] perPosition = kernel.contributions(tokens.ids(), best);
            Map<String, double[]> byToken = new LinkedHashMap<>();
            for (int t = 0; t < perPosition.length; t++) {
                double perOccurrence = perPosition[t];
                double[] acc =
                        byToken.computeIfAbsent(
                                tokens.tokens().get(t), k -> new double[] {0, perOccurrence});
                // All occurrences of a token contribute alike: its total is count x one.
                assertThat(perOccurrence).as(mail.getId()).isEqualTo(acc[1]);
                acc[0]++;
            }
            List<TokenContribution> expected = new ArrayList<>();
            byToken.forEach(
                    (token, acc) ->
                            expected.add(
                                    new TokenContribution(token, (int) acc[0], acc[0] * acc[1])));
            assertThat(prediction.contributions()).as(mail.getId()).isEqualTo(expected);
            assertThat(prediction.strongest(5))
                    .as(mail.getId())
                    .isEqualTo(
                            expected.stream()
                                    .sorted(
                                            Comparator.comparingDouble(
                                                    (TokenContribution c) ->
                                                            -Math.abs(c.contribution())))
                                    .limit(5)
                                    .toList());
        }
    }
}
