package dev.streamlearn.schemas.record;

/**
 * One input record exactly as it arrived, before any decoding: where it came from and its raw
 * bytes. Every stage keeps it until the record is used, so that a record it cannot use goes to
 * {@code dead-letters} byte for byte as it was.
 *
 * @param topic the topic it was read from (or a file name, for file ingestion)
 * @param partition its partition, or -1 when the source was not a topic
 * @param offset its offset in the partition (or line number in a file)
 * @param timestamp the record's timestamp, epoch millis
 * @param key the key bytes, or null
 * @param value the value bytes, or null
 */
public record RecordOrigin(
        String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
