package dev.streamlearn.ops.process;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.kafka.CommittedReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What the pipeline's processes have committed to a topic, read as a user's read_committed tool
 * would, for ITs that run the pipeline as processes. Test fixture.
 */
public final class CommittedRecords {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private CommittedRecords() {}

    /** Every committed record of the topic, in partition order. */
    public static <V> List<V> readAll(String bootstrap, Topic<?, V> topic) {
        List<V> values = new ArrayList<>();
        Deserializer<V> deserializer = topic.valueSerde().deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer =
                CommittedReader.consumer(bootstrap, "streamlearn-it", READ_TIMEOUT)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(
                                r -> values.add(deserializer.deserialize(topic.name(), r.value())));
            }
        }
        return values;
    }

    /**
     * The first committed record of the topic that {@code wanted} accepts, polling its contents
     * until {@code wait} has passed; fails naming the topic, how many records it held and the last.
     */
    public static <V> V await(
            String bootstrap, Topic<?, V> topic, Predicate<V> wanted, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<V> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = readAll(bootstrap, topic);
            for (V value : seen) {
                if (wanted.test(value)) {
                    return value;
                }
            }
            TimeUnit.SECONDS.sleep(1); // polling the topic's contents, with a deadline
        }
        throw new AssertionError(
                "no matching record on "
                        + topic
                        + " within "
                        + wait
                        + "; "
                        + seen.size()
                        + " records there, the last: "
                        + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
    }
}
