package dev.streamlearn.trainer.parallel;

import dev.streamlearn.trainer.learning.LearnerSnapshot;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One {@link DeltaLearner} in a checkpoint: the learner, its prequential metrics, its parameters at
 * its last send or rebase ({@code base}), and what it has sent and consumed.
 *
 * @param id the learner's id, under which the combiner keeps its metrics
 * @param learner the trainer's learner snapshot
 * @param prequential the prequential sums ({@code ModelTrainer.metricsState()})
 * @param labelCounts the text baseline's label counts
 * @param baseSpec the spec {@code base} is laid out for
 * @param base the parameters at the last send or rebase, in states Java-serialized by the first
 *     data-parallel release; null since
 * @param unsent the learner's parameters minus {@code base} (an encoded {@link Delta}: the rows
 *     that differ and the head), from which a restore rebuilds {@code base}; null in states of the
 *     first release
 * @param examplesAtSend the trainer's examples seen at the last send (less any merged learners'
 *     unsent examples)
 * @param fitsSinceSend mini-batches fitted since then
 * @param lastLoss the loss of the last fitted mini-batch
 * @param nextOffsets per input partition, one past the last record consumed
 * @param inFlight the sends no version seen so far includes, oldest first, encoded
 * @param syncEpoch the combiner epoch of the newest fed-back state taken, 0 if none: refused after
 *     a restore, since its combiner may have sent states beyond the checkpoint
 */
record DeltaLearnerState(
        String id,
        LearnerSnapshot learner,
        double[] prequential,
        Map<String, Long> labelCounts,
        Map<String, String> baseSpec,
        float[] base,
        byte[] unsent,
        long examplesAtSend,
        long fitsSinceSend,
        double lastLoss,
        Map<TopicPartition, Long> nextOffsets,
        List<byte[]> inFlight,
        long syncEpoch)
        implements Serializable {}
