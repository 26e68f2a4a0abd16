package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.kafka.CommittedReader;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.PublishedVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds each model's newest committed version on {@code model-versions}, reading each partition
 * backwards from its end in small steps, so a start costs a few records however long the topic is
 * (it keeps up to 2 GiB of versions of a few MB each).
 */
public final class PublishedVersions {
    /** Offsets read per step back; transaction markers take offsets too. */
    private static final int STEP = 16;

    private PublishedVersions() {}

    /** {@code models}, each continuing after its newest published version, if it has one. */
    public static List<ModelDefinition> continuing(
            String bootstrap, List<ModelDefinition> models, Duration timeout) {
        Map<String, PublishedVersion> latest =
                latest(bootstrap, models.stream().map(ModelDefinition::name).toList(), timeout);
        return models.stream()
                .map(
                        m ->
                                latest.containsKey(m.name())
                                        ? m.continuingAfter(latest.get(m.name()))
                                        : m)
                .toList();
    }

    /**
     * The newest committed version of each of {@code models} on {@code model-versions}; models
     * without one are absent. Records that do not decode are skipped (the scorer dead-letters
     * them).
     *
     * @throws IllegalStateException if the topic cannot be read within {@code timeout}
     */
    public static Map<String, PublishedVersion> latest(
            String bootstrap, Collection<String> models, Duration timeout) {
        String topic = Topics.MODEL_VERSIONS.name();
        Map<String, PublishedVersion> found = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        // Under read_committed, endOffsets is the last stable offset: an open transaction's
        // versions lie beyond it, so the backward steps never wait for them.
        try (KafkaConsumer<byte[], byte[]> consumer =
                CommittedReader.consumer(bootstrap, "streamlearn-trainer-published", timeout)) {
            for (var info : consumer.partitionsFor(topic, timeout)) {
                TopicPartition partition = new TopicPartition(topic, info.partition());
                Set<String> wanted = new HashSet<>(models);
                wanted.removeAll(found.keySet());
                consumer.assign(List.of(partition));
                long begin = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
                long to = consumer.endOffsets(List.of(partition), timeout).get(partition);
                while (to > begin && !wanted.isEmpty()) {
                    long from = Math.max(begin, to - STEP);
                    Map<String, PublishedVersion> newest = new HashMap<>();
                    for (ConsumerRecord<byte[], byte[]> r :
                            read(consumer, partition, from, to, deadline, timeout)) {
                        ModelVersion v = decode(topic, r.value());
                        if (v != null && wanted.contains(v.getModel())) {
                            newest.merge(
                                    v.getModel(),
                                    new PublishedVersion(v),
                                    (a, b) -> a.version() >= b.version() ? a : b);
                        }
                    }
                    found.putAll(newest);
                    wanted.removeAll(newest.keySet());
                    to = from;
                }
            }
        }
        return found;
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition partition,
            long from,
            long to,
            long deadline,
            Duration timeout) {
        consumer.seek(partition, from);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        while (consumer.position(partition) < to) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "could not read the newest versions on "
                                + partition
                                + " within "
                                + timeout);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < to) {
                    records.add(r);
                }
            }
        }
        return records;
    }

    private static ModelVersion decode(String topic, byte[] value) {
        try {
            return value == null
                    ? null
                    : Topics.MODEL_VERSIONS.valueSerde().deserializer().deserialize(topic, value);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
