package dev.streamlearn.trainer.state;

import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.ModelTrainer;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything the learner operator keeps per model in Flink state, so a restore continues exactly:
 * the learner (parameters, Adam state, counters, partial mini-batch), the prequential metrics, the
 * version counter and publish bookkeeping, and the input consumed.
 *
 * @param learner the DL4J learner's snapshot
 * @param prequential the prequential sums ({@code ModelTrainer.prequentialSums()}); in a format-1
 *     checkpoint the drift watch's state may follow them ({@code ModelTrainer.restoreMetrics})
 * @param driftFormat the layout of {@code drift} ({@code DriftWatch.STATE_FORMAT})
 * @param drift the drift watch's state ({@code ModelTrainer.driftState()}); empty when the
 *     checkpoint has none of its own (format 1)
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
        int driftFormat,
        double[] drift,
        Map<String, Long> labelCounts,
        long lastVersion,
        long fitsSincePublish,
        double lastLoss,
        long examplesAtLastPublish,
        long lastPublishAt,
        long publishTimer,
        Map<TopicPartition, Long> nextOffsets) {
    public static final long NO_TIMER = Long.MIN_VALUE;

    /** A state without a drift watch of its own, as format 1 held it. */
    public LearnerState(
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
        this(
                learner,
                prequential,
                0,
                new double[0],
                labelCounts,
                lastVersion,
                fitsSincePublish,
                lastLoss,
                examplesAtLastPublish,
                lastPublishAt,
                publishTimer,
                nextOffsets);
    }

    /** Whether the drift watch's state is here, in a field of its own (format 2 on). */
    public boolean hasDrift() {
        return drift.length > 0;
    }

    /**
     * The trainer this state continues: its learner, prequential sums and drift watch, from any
     * format (in format 1 the watch, if any, is at the end of the sums; else it starts afresh).
     */
    public ModelTrainer restoreTrainer(ModelDefinition model) {
        ModelTrainer trainer =
                TrainingFamilies.restoreTrainer(model, learner, prequential, labelCounts);
        if (hasDrift()) {
            trainer.restoreDrift(driftFormat, drift);
        }
        return trainer;
    }
}
