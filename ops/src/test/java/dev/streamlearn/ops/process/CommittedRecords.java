package dev.streamlearn.ops.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.kafka.CommittedReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.Awaitility;

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
            Awaitility.await("reading " + topic.name() + " up to its end offsets " + end)
                    .atMost(READ_TIMEOUT)
                    .pollInSameThread() // KafkaConsumer is not thread-safe: poll it on this thread
                    .pollInterval(Duration.ZERO) // poll() below waits for records itself
                    .untilAsserted(
                            () -> {
                                consumer.poll(Duration.ofMillis(200))
                                        .forEach(
                                                r ->
                                                        values.add(
                                                                deserializer.deserialize(
                                                                        topic.name(), r.value())));
                                assertThat(partitions)
                                        .filteredOn(p -> consumer.position(p) < end.get(p))
                                        .as(
                                                "partitions not read to the end, %d records read",
                                                values.size())
                                        .isEmpty();
                            });
        }
        return values;
    }

    /**
     * The first committed record of the topic that {@code wanted} accepts, reading its contents
     * again every second until {@code wait} has passed; fails naming the topic, how many records it
     * held and the last.
     */
    public static <V> V await(
            String bootstrap, Topic<?, V> topic, Predicate<V> wanted, Duration wait) {
        AtomicReference<V> match = new AtomicReference<>();
        Awaitility.await("a matching record on " + topic.name())
                .atMost(wait)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            List<V> seen = readAll(bootstrap, topic);
                            seen.stream().filter(wanted).findFirst().ifPresent(match::set);
                            assertThat(match.get())
                                    .as(
                                            "a match among %d records, the last: %s",
                                            seen.size(),
                                            seen.isEmpty() ? "none" : seen.get(seen.size() - 1))
                                    .isNotNull();
                        });
        return match.get();
    }
}
