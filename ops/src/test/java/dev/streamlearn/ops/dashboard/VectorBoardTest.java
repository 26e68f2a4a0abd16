package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.VectorScore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VectorBoardTest {
    private static final Instant AT = Instant.parse("2026-12-05T12:00:00Z");

    private static VectorScore score(String id, String predicted, String label, long version) {
        return new VectorScore(
                id,
                AT,
                predicted,
                Map.of("same", 0.9, "different", 0.1),
                List.of(0.75, -0.25),
                label,
                "xor",
                version,
                AT);
    }

    @Test
    void theSnapshotShowsTheLatestVectorScoresNewestFirstWithTheirContributions() {
        DashboardState state =
                new DashboardState(
                        Clock.fixed(AT, ZoneOffset.UTC), 10, VersionTrust.unsignedOnly());

        state.accept(score("p-1", "same", "same", 1), AT.toEpochMilli());
        state.accept(score("p-2", "same", "different", 2), AT.toEpochMilli());
        state.accept(score("p-3", "same", null, 2), AT.toEpochMilli());

        JsonNode vector = state.snapshot().get("vector");
        assertThat(vector.get("labelled").asLong()).isEqualTo(2);
        assertThat(vector.get("correct").asLong()).isEqualTo(1);
        assertThat(vector.get("latest").get(0).get("eventId").asText()).isEqualTo("p-3");
        assertThat(vector.get("latest").get(0).get("contributions").toString())
                .isEqualTo("[0.75,-0.25]");
        assertThat(state.snapshot().get("models").has("xor")).isTrue();
        assertThat(state.snapshot().at("/scorer/vectorScores").asLong())
                .as("vector scores counted among the scores seen")
                .isEqualTo(3);
        assertThat(state.snapshot().at("/scorer/vectorRate").size())
                .as("a rate series for the throughput chart")
                .isEqualTo(120);
    }
}
