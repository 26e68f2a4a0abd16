package dev.streamlearn.scorer;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.scorer.io.RejectedVersionSink;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends refused versions and controls to {@code dead-letters} with an idempotent producer. It is
 * at-least-once (the global store's processor sits outside the app's transactions): after a crash,
 * a refusal may be reported twice; its source partition and offset identify the duplicate.
 */
public final class KafkaRejectedVersionSink implements RejectedVersionSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRejectedVersionSink.class);

    private final KafkaProducer<byte[], DeadLetter> producer;

    public KafkaRejectedVersionSink(KafkaConnection kafka) {
        this.producer =
                new KafkaProducer<>(
                        kafka.clientConfig(
                                Map.of(
                                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                        true,
                                        ProducerConfig.ACKS_CONFIG,
                                        "all",
                                        ProducerConfig.CLIENT_ID_CONFIG,
                                        "streamlearn-scorer-rejections",
                                        // A refused version keeps its weights as original bytes.
                                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                        Topics.MODEL_VERSION_MAX_BYTES + 64 * 1024)),
                        Topics.DEAD_LETTERS.keySerde().serializer(),
                        Topics.DEAD_LETTERS.valueSerde().serializer());
    }

    @Override
    public void reject(byte[] key, DeadLetter deadLetter) {
        producer.send(
                new ProducerRecord<>(Topics.DEAD_LETTERS.name(), key, deadLetter),
                (meta, error) -> {
                    if (error != null) {
                        LOG.error(
                                "could not write a dead letter for {}: {}",
                                deadLetter.getError(),
                                error.toString());
                    }
                });
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
