package dev.streamlearn.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.ingestion.file.FileRows;
import dev.streamlearn.ingestion.file.TextFieldMapping;
import dev.streamlearn.models.family.attention.AttentionTextSpec;
import dev.streamlearn.trainer.learning.Datasets;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attention text classifier's quality goal (issue 19 item 3): accuracy at least the embedding
 * bag's on one of the two dev streams, with the default spec, one prequential pass in file order,
 * exactly what {@code streamlearn evaluate text --model attention} runs. It is met on SpamAssassin;
 * on the Debian packages stream (about 7 words a text) the block costs accuracy, and BENCHMARKS.md,
 * "Attention text classifier", has both figures beside the bag's. Seeded, so the figure is the same
 * on every run.
 */
class AttentionQualityGoalsTest {

    /**
     * The text classifier's prequential accuracy on SpamAssassin ({@code TextQualityGoalsTest}).
     */
    private static final double EMBEDDING_BAG_ON_SPAM = 0.96874;

    @Test
    void spamAssassinIsClassifiedAtLeastAsWellAsByTheEmbeddingBag() throws IOException {
        // Given all 6,046 SpamAssassin mails, subject and body
        AttentionTextEvaluation evaluation =
                new AttentionTextEvaluation(AttentionTextSpec.defaults());

        // When the default model tests then trains on each in file order
        TextFieldMapping mapping =
                new TextFieldMapping("id", List.of("subject", "text"), "label", null);
        try (FileRows rows = FileRows.open(Datasets.path("spamassassin.jsonl.gz"))) {
            while (rows.hasNext()) {
                evaluation.accept(mapping.map(rows.next()).value());
            }
        }

        // Then it is right at least as often as the embedding bag, and learned every mail
        assertThat(evaluation.modelMetrics().count()).isEqualTo(6_046);
        assertThat(evaluation.modelMetrics().accuracy())
                .isGreaterThanOrEqualTo(EMBEDDING_BAG_ON_SPAM);
        assertThat(evaluation.learner().examplesSeen()).isEqualTo(6_046);
    }
}
