package dev.streamlearn.trainer.state;

import dev.streamlearn.trainer.learning.LearnerSnapshot;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything the learner operator keeps per model in Flink state, so a restore continues exactly:
 * the learner (parameters, Adam state, counters, partial mini-batch), the prequential metrics, the
 * version counter and publish bookkeeping, and the input consumed.
 *
 * @param learner the DL4J learner's snapshot
 * @param prequential the prequential sums ({@code ModelTrainer.metricsState()})
 * @param labelCounts the text baseline's label counts in first-seen order (empty for series)
 * @param lastVersion the last version published; 0 before the first
 * @param fitsSincePublish mini-batches fitted since that version
 * @param lastLoss the loss of the last fitted mini-batch, NaN before the first
 * @param examplesAtLastPublish examples seen when the last version was published
 * @param lastPublishAt when it was published (processing time, epoch millis; 0 before)
 * @param publishTimer the pending publish timer's time, or {@link Long#MIN_VALUE} when none
 * @param nextOffsets per input partition, the offset after the last record consumed
 */
public record LearnerState(
        LearnerSnapshot learner,
        double[] prequential,
        Map<String, Long> labelCounts,
        long lastVersion,
        long fitsSincePublish,
        double lastLoss,
        long examplesAtLastPublish,
        long lastPublishAt,
        long publishTimer,
        Map<TopicPartition, Long> nextOffsets) {
    public static final long NO_TIMER = Long.MIN_VALUE;
}
