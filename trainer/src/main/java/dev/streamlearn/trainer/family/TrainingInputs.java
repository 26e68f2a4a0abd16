package dev.streamlearn.trainer.family;

import dev.streamlearn.schemas.record.RecordOrigin;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the job reads from: the raw records of each model's input topic. Production reads Kafka
 * ({@code flink.KafkaTrainingIo}); a test may read elsewhere or add an operator in between. The job
 * asks once per topic, however many models read it.
 */
public interface TrainingInputs {
    /** The records of {@code topic}, from its beginning. */
    DataStream<RecordOrigin> records(StreamExecutionEnvironment env, String topic);
}
