package dev.streamlearn.trainer.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.trainer.learning.Datasets;
import dev.streamlearn.trainer.training.ModelDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two learners combined learn about as well as one, on the same SpamAssassin stream. */
class DataParallelQualityTest {
    private static final ModelDefinition MODEL =
            ModelDefinition.of(
                    "spam",
                    TextClassifierSpec.defaults()
                            .with(TextClassifierSpec.VOCAB_SIZE, 1 << 12)
                            .with(TextClassifierSpec.EMBEDDING_SIZE, 8)
                            .with(TextClassifierSpec.BATCH_SIZE, 8));

    @Test
    void twoLearnersThatSeeEachVersionAtOnceLearnAsWellAsOne() {
        List<TextEvent> texts = Datasets.spam(1200);
        List<TextEvent> train = texts.subList(0, 960);
        List<TextEvent> heldOut = texts.subList(960, 1200);
        double majority = heldOut.stream().filter(e -> e.getLabel().equals("ham")).count() / 240.0;
        DataParallelSimulation.Result one =
                new DataParallelSimulation(MODEL, 1, 4, DataParallel.RULE, 0).run(train, heldOut);
        DataParallelSimulation.Result two =
                new DataParallelSimulation(MODEL, 2, 4, DataParallel.RULE, 0).run(train, heldOut);
        assertThat(two.examples()).isEqualTo(960);
        assertThat(two.heldOutAccuracy()).isGreaterThan(majority);
        assertThat(two.heldOutAccuracy())
                .as("two learners vs one: %s vs %s", two, one)
                .isGreaterThan(one.heldOutAccuracy() - 0.02);
    }
}
