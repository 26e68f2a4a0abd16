package dev.streamlearn.scorer.scoring;

import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * An input record as it arrived: where it came from and its raw bytes, so that a record we cannot
 * use goes to {@code dead-letters} exactly as it was, and a waiting one can be scored later.
 */
public record Origin(
        String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

    public static Origin of(ProcessingContext context, Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        return new Origin(
                metadata == null ? "unknown" : metadata.topic(),
                metadata == null ? -1 : metadata.partition(),
                metadata == null ? -1 : metadata.offset(),
                record.timestamp(),
                record.key(),
                record.value());
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
