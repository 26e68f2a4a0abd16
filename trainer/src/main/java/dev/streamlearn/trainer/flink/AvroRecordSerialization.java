package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TrainingMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka records for the job's outputs, keyed and encoded as the {@code Topics} registry says. Named
 * classes, not lambdas: Flink's type extraction fails on a lambda serialization schema.
 *
 * @param <T> the Avro record written
 */
abstract class AvroRecordSerialization<T> implements KafkaRecordSerializationSchema<T> {
    private final String topic;

    AvroRecordSerialization(String topic) {
        this.topic = topic;
    }

    abstract byte[] key(T record);

    abstract Serializer<T> values();

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, key(record), values().serialize(topic, record));
    }

    /** Key: model name. */
    static final class Versions extends AvroRecordSerialization<ModelVersion> {
        Versions(String topic) {
            super(topic);
        }

        @Override
        byte[] key(ModelVersion v) {
            return v.getModel().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        Serializer<ModelVersion> values() {
            return Topics.MODEL_VERSIONS.valueSerde().serializer();
        }
    }

    /** Key: model name. */
    static final class Metrics extends AvroRecordSerialization<TrainingMetrics> {
        Metrics(String topic) {
            super(topic);
        }

        @Override
        byte[] key(TrainingMetrics m) {
            return m.getModel().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        Serializer<TrainingMetrics> values() {
            return Topics.TRAINING_METRICS.valueSerde().serializer();
        }
    }

    /** Key: model name. */
    static final class Events extends AvroRecordSerialization<ModelEvent> {
        Events(String topic) {
            super(topic);
        }

        @Override
        byte[] key(ModelEvent e) {
            return e.getModel().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        Serializer<ModelEvent> values() {
            return Topics.MODEL_EVENTS.valueSerde().serializer();
        }
    }

    /** Key: the original record's key bytes. */
    static final class DeadLetters extends AvroRecordSerialization<DeadLetter> {
        DeadLetters(String topic) {
            super(topic);
        }

        @Override
        byte[] key(DeadLetter d) {
            ByteBuffer key = d.getOriginalKey();
            if (key == null) {
                return null;
            }
            byte[] bytes = new byte[key.remaining()];
            key.duplicate().get(bytes);
            return bytes;
        }

        @Override
        Serializer<DeadLetter> values() {
            return Topics.DEAD_LETTERS.valueSerde().serializer();
        }
    }
}
