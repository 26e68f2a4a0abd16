package dev.streamlearn.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.ImageScore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageBoardTest {
    private static final Instant AT = Instant.parse("2026-12-05T12:00:00Z");
    private static final byte[] PIXELS = {0, 10, (byte) 200, (byte) 255};

    private final DashboardState state =
            new DashboardState(Clock.fixed(AT, ZoneOffset.UTC), 10, VersionTrust.unsignedOnly());

    private static ImageScore score(String id, String predicted, String label, long version) {
        return new ImageScore(
                id,
                AT,
                predicted,
                Map.of("7", 0.8, "1", 0.2),
                List.of(0.5, -0.25, 0.0, 1.5),
                2,
                2,
                label,
                "digits",
                version,
                AT);
    }

    private static ImageEvent image(String id, int width, int height, byte[] pixels) {
        return new ImageEvent(id, AT, width, height, 1, ByteBuffer.wrap(pixels), null);
    }

    @Test
    void theSnapshotShowsTheLatestImageScoresNewestFirstWithTheirImageAndSaliency() {
        state.accept(image("d-1", 2, 2, PIXELS), AT.toEpochMilli());
        state.accept(score("d-1", "7", "7", 1), AT.toEpochMilli());
        state.accept(score("d-2", "7", "1", 2), AT.toEpochMilli());
        state.accept(score("d-3", "7", null, 2), AT.toEpochMilli());

        JsonNode image = state.snapshot().get("image");
        assertThat(image.get("labelled").asLong()).isEqualTo(2);
        assertThat(image.get("correct").asLong()).isEqualTo(1);
        assertThat(image.get("latest"))
                .extracting(s -> s.get("eventId").asText())
                .containsExactly("d-3", "d-2", "d-1");
        JsonNode first = image.get("latest").get(2);
        assertThat(first.get("saliency").toString()).isEqualTo("[0.5,-0.25,0.0,1.5]");
        assertThat(first.get("saliencyWidth").asInt()).isEqualTo(2);
        assertThat(first.get("image").get("width").asInt()).isEqualTo(2);
        assertThat(first.get("image").get("channels").asInt()).isEqualTo(1);
        assertThat(Base64.getDecoder().decode(first.get("image").get("pixels").asText()))
                .isEqualTo(PIXELS);
        assertThat(image.get("latest").get(0).get("image").isNull()).isTrue();
        assertThat(state.snapshot().get("models").has("digits")).isTrue();
        assertThat(state.snapshot().at("/scorer/imageScores").asLong()).isEqualTo(3);
    }

    @Test
    void aScoreReadBeforeItsImageIsDrawnOnceTheImageArrives() {
        state.accept(score("d-9", "7", null, 1), AT.toEpochMilli());
        assertThat(state.snapshot().get("image").get("latest").get(0).get("image").isNull())
                .isTrue();

        state.accept(image("d-9", 2, 2, PIXELS), AT.toEpochMilli());

        assertThat(
                        state.snapshot()
                                .get("image")
                                .get("latest")
                                .get(0)
                                .get("image")
                                .get("pixels")
                                .asText())
                .isEqualTo(Base64.getEncoder().encodeToString(PIXELS));
    }

    @Test
    void anImageTooLargeToDrawIsNotKept() {
        int side = 256;
        state.accept(image("big", side, side, new byte[side * side]), AT.toEpochMilli());
        state.accept(score("big", "7", null, 1), AT.toEpochMilli());

        assertThat(state.snapshot().get("image").get("latest").get(0).get("image").isNull())
                .isTrue();
    }
}
