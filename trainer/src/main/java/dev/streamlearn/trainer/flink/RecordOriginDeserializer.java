package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.record.RecordOrigin;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hands each Kafka record on undecoded, with where it came from. Decoding inside the source would
 * turn one unreadable record into a restart loop; the job decodes and routes failures to {@code
 * dead-letters} instead.
 */
public final class RecordOriginDeserializer
        implements KafkaRecordDeserializationSchema<RecordOrigin> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RecordOrigin> out) {
        out.collect(
                new RecordOrigin(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value()));
    }

    @Override
    public TypeInformation<RecordOrigin> getProducedType() {
        return TypeInformation.of(RecordOrigin.class);
    }
}
