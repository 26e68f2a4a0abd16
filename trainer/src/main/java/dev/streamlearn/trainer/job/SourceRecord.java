package dev.streamlearn.trainer.job;

/**
 * One Kafka record exactly as it was read, before any decoding: decoding happens in the job, where
 * a record that cannot be read becomes a dead letter instead of failing the source.
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset in the partition
 * @param timestamp the record's timestamp (append or create time), epoch millis
 * @param key the key bytes, or null
 * @param value the value bytes, or null
 */
public record SourceRecord(
        String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {}
