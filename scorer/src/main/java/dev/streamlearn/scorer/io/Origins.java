package dev.streamlearn.scorer.io;

import dev.streamlearn.schemas.record.RecordOrigin;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Where a Kafka Streams input record came from, with its raw bytes. */
public final class Origins {
    private Origins() {}

    public static RecordOrigin of(ProcessingContext context, Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        return new RecordOrigin(
                metadata == null ? "unknown" : metadata.topic(),
                metadata == null ? -1 : metadata.partition(),
                metadata == null ? -1 : metadata.offset(),
                record.timestamp(),
                record.key(),
                record.value());
    }
}
