package dev.streamlearn.trainer.parallel;

import dev.streamlearn.models.kernel.ModelWeights;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A combined version as the learners read it back: its number, its weights and, per input
 * partition, the offsets its deltas had consumed.
 */
record FeedVersion(long version, ModelWeights weights, Map<TopicPartition, Long> sourceOffsets) {}
