package dev.streamlearn.trainer.job;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hands each Kafka record on undecoded, with where it came from. Decoding inside the source would
 * turn one unreadable record into a restart loop; the job decodes and routes failures to {@code
 * dead-letters} instead.
 */
public final class SourceRecordDeserializer
        implements KafkaRecordDeserializationSchema<SourceRecord> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        out.collect(
                new SourceRecord(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value()));
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }
}
