package dev.streamlearn.ingestion.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.ingestion.file.FileRow;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.RecordOrigin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Sends events of one type to their topic, and rows that did not map to {@code dead-letters}
 * (source = the file, offset = its line, original value = the row's fields as JSON). Idempotent
 * producer, acks=all; the first send error stops the load instead of being skipped.
 *
 * @param <V> the event type
 */
public final class EventSender<V> implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topic<String, V> topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Serializer<String> keys;
    private final Serializer<V> values;
    private final Serializer<DeadLetter> deadLetters;
    private final LongAdder sent = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final long startNanos = System.nanoTime();

    /** A sender on a PLAINTEXT cluster. */
    public EventSender(String bootstrap, Topic<String, V> topic) {
        this(KafkaConnection.plaintext(bootstrap), topic);
    }

    public EventSender(KafkaConnection kafka, Topic<String, V> topic) {
        this.topic = topic;
        this.keys = topic.keySerde().serializer();
        this.values = topic.valueSerde().serializer();
        this.deadLetters = Topics.DEAD_LETTERS.valueSerde().serializer();
        this.producer =
                new KafkaProducer<>(
                        kafka.clientConfig(
                                Map.of(
                                        ProducerConfig.ACKS_CONFIG,
                                        "all",
                                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                        true,
                                        ProducerConfig.LINGER_MS_CONFIG,
                                        5,
                                        ProducerConfig.BATCH_SIZE_CONFIG,
                                        128 * 1024,
                                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                        10_000,
                                        ProducerConfig.CLIENT_ID_CONFIG,
                                        "streamlearn-ingest-" + topic.name())),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
    }

    /**
     * Sends one event. The record carries no timestamp of its own: the broker's time of arrival is
     * what retention should count from; the event time travels inside the value.
     */
    public void send(String key, V event) {
        throwIfFailed();
        byte[] value = values.serialize(topic.name(), event);
        producer.send(
                new ProducerRecord<>(topic.name(), keys.serialize(topic.name(), key), value),
                counting(sent));
    }

    /** Sends an unusable row to dead-letters with the reason. */
    public void reject(FileRow row, String reason) {
        throwIfFailed();
        // A file row has no partition, its line for an offset and no key of its own.
        RecordOrigin origin =
                new RecordOrigin(
                        row.file(),
                        -1,
                        row.line(),
                        0,
                        null,
                        row.isError() ? null : json(row.fields()));
        DeadLetter letter = DeadLetters.of(origin, "ingest", reason, Instant.now());
        producer.send(
                new ProducerRecord<>(
                        Topics.DEAD_LETTERS.name(),
                        (row.file() + ":" + row.line()).getBytes(StandardCharsets.UTF_8),
                        deadLetters.serialize(Topics.DEAD_LETTERS.name(), letter)),
                counting(rejected));
    }

    /** Records acknowledged so far. */
    public long sent() {
        return sent.sum();
    }

    public long rejected() {
        return rejected.sum();
    }

    /** Waits until every record sent so far is acknowledged. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    /** Waits for every record to be acknowledged and says what was done. */
    public LoadSummary finish() {
        producer.flush();
        throwIfFailed();
        return new LoadSummary(
                sent.sum(), rejected.sum(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    private Callback counting(LongAdder counter) {
        return (metadata, error) -> {
            if (error == null) {
                counter.increment();
            } else {
                failure.compareAndSet(null, error);
            }
        };
    }

    private void throwIfFailed() {
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException(
                    "sending to Kafka failed: " + error.getMessage(), error);
        }
    }

    private static byte[] json(Map<String, String> fields) {
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
