package dev.streamlearn.trainer.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingInput;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

/** Which models learn data-parallel, and how their input partitions reach the learners. */
class DataParallelTest {
    private static final ModelDefinition TEXT =
            ModelDefinition.of("text-classifier", TextClassifierSpec.defaults());
    private static final ModelDefinition SERIES =
            ModelDefinition.of("lstm-forecaster", LstmForecasterSpec.defaults());

    @Test
    void withoutAParallelismEveryModelKeepsItsSingleLearner() {
        assertThat(TrainingOptions.defaults().parallelism()).isNull();
        assertThat(DataParallel.parallelism(List.of(TEXT, SERIES), TrainingOptions.defaults()))
                .isEmpty();
    }

    @Test
    void theJobsParallelismAppliesToTextModelsAndAModelsOwnWins() {
        TrainingOptions two = TrainingOptions.defaults().withParallelism(2);
        ModelDefinition one = ModelDefinition.of("tickets", TextClassifierSpec.defaults());
        assertThat(DataParallel.parallelism(List.of(TEXT, SERIES, one.withParallelism(1)), two))
                .isEqualTo(Map.of("text-classifier", 2, "tickets", 1));
    }

    @Test
    void aForecasterDeclaringAParallelismIsRefusedNamingItAndWhy() {
        assertThatThrownBy(
                        () ->
                                DataParallel.parallelism(
                                        List.of(SERIES.withParallelism(2)),
                                        TrainingOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model lstm-forecaster (lstm-forecaster): parallelism 2")
                .hasMessageContaining("recursive least squares")
                .hasMessageContaining("one forecaster per group of sensors");
    }

    @Test
    void aTopicsPartitionsSpreadEvenlyOverTheLearnersEachToOne() {
        for (int p : new int[] {1, 2, 3, 8}) {
            DataParallel.BySourcePartition keys =
                    new DataParallel.BySourcePartition(p, DataParallel.MAX_PARALLELISM);
            Set<Integer> subtasks = new HashSet<>();
            for (int partition = 0; partition < p; partition++) {
                Integer key = keys.getKey(record(partition, 0));
                assertThat(keys.getKey(record(partition, 99))).isEqualTo(key);
                subtasks.add(
                        KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                key, DataParallel.MAX_PARALLELISM, p));
            }
            assertThat(subtasks).as("subtasks of %d partitions at parallelism %d", p, p).hasSize(p);
        }
    }

    private static TrainingInput record(int partition, long offset) {
        return TrainingInput.consumed(
                "text-classifier", new RecordOrigin("texts", partition, offset, -1, null, null));
    }
}
