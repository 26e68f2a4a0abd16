package dev.streamlearn.trainer.family;

import dev.streamlearn.schemas.record.RecordOrigin;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the job reads from: the raw records of the series and of the text topic, each family taking
 * its own. Production reads Kafka ({@code flink.KafkaTrainingIo}); a test may read elsewhere or add
 * an operator in between.
 */
public interface TrainingInputs {
    DataStream<RecordOrigin> seriesPoints(StreamExecutionEnvironment env);

    DataStream<RecordOrigin> textEvents(StreamExecutionEnvironment env);
}
