package dev.streamlearn.schemas.kafka;

import dev.streamlearn.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consumer every tool that reads topics without a consumer group uses (tail, the dashboard, the
 * registry listing, the trainer's look-up of published versions): raw bytes, committed records only
 * (what the exactly-once writers have committed, never an aborted or open transaction), offsets
 * never committed, and fetches large enough for a model version.
 */
public final class CommittedReader {
    private CommittedReader() {}

    /** A PLAINTEXT consumer to {@code assign} and {@code seek}; the caller closes it. */
    public static KafkaConsumer<byte[], byte[]> consumer(
            String bootstrap, String clientId, Duration apiTimeout) {
        return consumer(KafkaConnection.plaintext(bootstrap), clientId, apiTimeout);
    }

    /** A consumer to {@code assign} and {@code seek}; the caller closes it. */
    public static KafkaConsumer<byte[], byte[]> consumer(
            KafkaConnection connection, String clientId, Duration apiTimeout) {
        return new KafkaConsumer<>(
                connection.clientConfig(
                        Map.of(
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                clientId,
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                Topics.MODEL_VERSION_MAX_BYTES,
                                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                (int) apiTimeout.toMillis())),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
