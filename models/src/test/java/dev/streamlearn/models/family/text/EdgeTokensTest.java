package dev.streamlearn.models.family.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.kernel.ModelWeights;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first and the last word as tokens of their own, and weights stored before they existed. */
class EdgeTokensTest {
    private final HashingTokenizer edges = new HashingTokenizer(1 << 10, 5, true);

    /** Encoded before edgeTokens and embeddingLearningRate existed (vocabulary 64, D 5, K 4). */
    static final String BEFORE_EDGE_TOKENS = "/golden/text-classifier-before-edge-tokens.weights";

    @Test
    void theFirstAndTheLastWordFollowTheWordsMarkedByWhereTheyStood() {
        TokenizedText text = edges.tokenize("Library for Byte sequences; DOCUMENTATION");

        assertThat(text.tokens())
                .containsExactly(
                        "library",
                        "for",
                        "byte",
                        "sequences",
                        "documentation",
                        "^library",
                        "documentation$");
        assertThat(text.words()).isEqualTo(5);
        int[] ids = text.ids();
        assertThat(ids[5]).isEqualTo(edges.id("^library")).isNotEqualTo(ids[0]);
        assertThat(ids[6]).isEqualTo(edges.id("documentation$")).isNotEqualTo(ids[4]);
    }

    @Test
    void aOneWordTextHasBothEdgesAndTheyStayDistinctFromTheWord() {
        TokenizedText text = edges.tokenize("games");

        assertThat(text.tokens()).containsExactly("games", "^games", "games$");
        assertThat(text.distinctIndex()).containsExactly(0, 1, 2);
    }

    @Test
    void theLastEdgeOfATruncatedTextIsTheLastWordKept() {
        TokenizedText text = edges.tokenize("a b c d e f g");

        assertThat(text.tokens()).containsExactly("a", "b", "c", "d", "e", "^a", "e$");
        assertThat(text.truncated()).isTrue();
    }

    @Test
    void anEmptyTextIsStillOnePaddingToken() {
        TokenizedText text = edges.tokenize(" ;; ");

        assertThat(text.isEmpty()).isTrue();
        assertThat(text.ids()).containsExactly(HashingTokenizer.PADDING_ID);
    }

    @Test
    void theDefaultSpecHasEdgeTokensAndAStoredSpecNamingNoneHasNone() {
        assertThat(new HashingTokenizer(TextClassifierSpec.defaults()).tokenize("a b").tokens())
                .containsExactly("a", "b", "^a", "b$");
        Map<String, String> before = Map.of("vocabSize", "64", "learningRate", "0.01");

        Map<String, String> stored = TextClassifierFamily.INSTANCE.storedSpec(before);

        assertThat(stored)
                .containsEntry("edgeTokens", "0")
                .containsEntry("embeddingLearningRate", "0.01");
        assertThat(TextClassifierFamily.INSTANCE.storedSpec(Map.of("edgeTokens", "1")))
                .containsEntry("edgeTokens", "1");
    }

    @Test
    void weightsStoredBeforeEdgeTokensScoreAsTheyDidThen() throws Exception {
        // Given weights an earlier build encoded, and the probabilities it gave for one text
        byte[] encoded;
        try (InputStream in = getClass().getResourceAsStream(BEFORE_EDGE_TOKENS)) {
            encoded = in.readAllBytes();
        }

        // When this build decodes them
        ModelWeights weights = WeightsCodec.decode(encoded);
        TextPrediction p = new TextClassifierModel(weights).predict("Win money now, win big money");

        // Then they read words alone, with the one learning rate they had, and score exactly so
        assertThat(weights.spec().get(TextClassifierSpec.EDGE_TOKENS)).isZero();
        assertThat(weights.spec().get(TextClassifierSpec.EMBEDDING_LEARNING_RATE)).isEqualTo(0.01);
        assertThat(p.contributions())
                .extracting(TokenContribution::token)
                .containsExactly("win", "money", "now", "big");
        assertThat(p.label()).isEqualTo("spam");
        assertThat(Float.floatToIntBits((float) p.probabilityOf("ham"))).isEqualTo(1027543390);
        assertThat(Float.floatToIntBits((float) p.probabilityOf("spam"))).isEqualTo(1064570602);
    }
}
