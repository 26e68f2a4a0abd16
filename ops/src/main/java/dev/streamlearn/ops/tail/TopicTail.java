package dev.streamlearn.ops.tail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.kafka.CommittedReader;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Prints a topic's records as JSON lines: {@code topic, partition, offset, timestamp, key} and the
 * decoded {@code value}. A value that cannot be decoded is printed with an {@code error} field
 * instead, and tailing goes on. Reads only committed records ({@code read_committed}), as every
 * consumer of exactly-once output should.
 */
public final class TopicTail implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    private final Topic<?, ?> topic;
    private final Consumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;

    public TopicTail(String bootstrap, Topic<?, ?> topic, int partitionCount) {
        this(KafkaConnection.plaintext(bootstrap), topic, partitionCount);
    }

    public TopicTail(KafkaConnection kafka, Topic<?, ?> topic, int partitionCount) {
        this.topic = topic;
        this.consumer = CommittedReader.consumer(kafka, "streamlearn-tail", Duration.ofMinutes(1));
        this.partitions =
                java.util.stream.IntStream.range(0, partitionCount)
                        .mapToObj(p -> new TopicPartition(topic.name(), p))
                        .toList();
    }

    /**
     * Prints records until {@code max} were printed, or — unless {@code follow} — until the end of
     * the topic as it was when tailing began. Returns how many were printed.
     */
    public long run(PrintWriter out, boolean fromBeginning, long max, boolean follow) {
        consumer.assign(partitions);
        Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        long printed = 0;
        try {
            while (printed < max && (follow || !reached(endAtStart))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    out.println(line(record));
                    if (++printed >= max) {
                        break;
                    }
                }
                out.flush();
            }
        } catch (WakeupException stopRequested) {
            // close() from another thread (Ctrl-C): stop quietly.
        }
        out.flush();
        return printed;
    }

    /** Makes a running {@link #run} return; safe from any thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }

    private String line(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode node = AvroJson.MAPPER.createObjectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        node.put("key", key(record.key()));
        try {
            Object value =
                    topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
            node.set("value", valueJson(value));
        } catch (RuntimeException e) {
            node.putNull("value");
            node.put("error", e.getMessage());
        }
        try {
            return AvroJson.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + record, e);
        }
    }

    /**
     * A decoded value as JSON: Avro records field by field; the text of the {@code -json} entry
     * topics as the JSON it holds (or as a string when it is not JSON, which is why it was sent).
     */
    public static JsonNode valueJson(Object value) {
        if (value instanceof String text) {
            try {
                return AvroJson.MAPPER.readTree(text);
            } catch (JsonProcessingException notJson) {
                return AvroJson.MAPPER.getNodeFactory().textNode(text);
            }
        }
        return AvroJson.value(value);
    }

    /** Keys are UTF-8 text for every topic but dead-letters, which keep the original bytes. */
    private static String key(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException notText) {
            return "base64:" + Base64.getEncoder().encodeToString(key);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
