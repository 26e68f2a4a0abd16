package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.avro.TokenAttention;
import dev.streamlearn.schemas.avro.TokenContribution;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The text card's data for an attention text classifier scoring beside the bag: the page shades the
 * text by the attention score's weights and puts the bag's contributions beside them.
 */
class TextBoardAttentionTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void anAttentionScoreCarriesItsAttentionPerTokenAndTheBagsScoreItsContributions() {
        // Given one text scored by the bag and by the attention model
        TextBoard board = new TextBoard(10);
        board.event(new TextEvent("m-1", T0, "Cheap pills now", "spam"), T0.toEpochMilli());
        board.score(score("spam", List.of(new TokenContribution("cheap", 1.5)), null));
        board.score(
                score(
                        "spam-attention",
                        List.of(),
                        List.of(
                                new TokenAttention("cheap", 0.5),
                                new TokenAttention("pills", 0.3),
                                new TokenAttention("now", 0.2))));

        // When the page asks for the card's data
        JsonNode latest = board.json().get("latest");

        // Then the newest, the attention score, carries its weights and the text; the bag's none
        assertThat(latest).hasSize(2);
        JsonNode attention = latest.get(0);
        assertThat(attention.get("model").asText()).isEqualTo("spam-attention");
        assertThat(attention.get("text").asText()).isEqualTo("Cheap pills now");
        assertThat(attention.get("attention")).hasSize(3);
        assertThat(attention.get("attention").get(0).get("token").asText()).isEqualTo("cheap");
        assertThat(attention.get("attention").get(0).get("weight").asDouble()).isEqualTo(0.5);
        JsonNode bag = latest.get(1);
        assertThat(bag.get("attention").isNull()).isTrue();
        assertThat(bag.get("topTokens").get(0).get("contribution").asDouble()).isEqualTo(1.5);
        assertThat(board.json().get("labelled").asLong()).isEqualTo(2);
    }

    private static TextScore score(
            String model, List<TokenContribution> top, List<TokenAttention> attention) {
        return TextScore.newBuilder()
                .setEventId("m-1")
                .setEventTime(T0)
                .setPredictedLabel("spam")
                .setProbabilities(Map.of("spam", 0.9, "ham", 0.1))
                .setTopTokens(top)
                .setTrueLabel("spam")
                .setModel(model)
                .setModelVersion(3L)
                .setScoredAt(T0)
                .setAttention(attention)
                .build();
    }
}
