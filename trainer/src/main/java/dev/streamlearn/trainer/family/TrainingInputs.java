package dev.streamlearn.trainer.job;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the job reads from: the raw records of the series and of the text topic. Production reads
 * Kafka ({@link KafkaTrainingIo}); a test may read elsewhere or add an operator in between.
 */
public interface TrainingInputs {
    DataStream<SourceRecord> seriesPoints(StreamExecutionEnvironment env);

    DataStream<SourceRecord> textEvents(StreamExecutionEnvironment env);
}
