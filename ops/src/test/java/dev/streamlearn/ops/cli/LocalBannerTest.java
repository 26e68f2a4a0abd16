package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.trainer.TrainingFamilies;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code local}'s banner tells a user to watch follows the models it serves. */
class LocalBannerTest {
    @Test
    void namesTheScoresTopicOfEveryFamilyServedOnce() {
        assertThat(LocalCommand.scoresTopics(TrainingFamilies.defaultModels("all", Map.of())))
                .containsExactlyInAnyOrder("text-scores", "series-scores");
        assertThat(LocalCommand.scoresTopics(TrainingFamilies.defaultModels("vector", Map.of())))
                .containsExactly("vector-scores");
    }
}
