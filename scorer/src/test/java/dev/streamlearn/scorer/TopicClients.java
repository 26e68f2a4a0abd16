package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

/**
 * Test fixture: the producers and read_committed consumers the scorer's integration tests use on an
 * embedded broker's topics, and the wait for the records a scorer writes.
 */
final class TopicClients {
    private final String bootstrap;
    private final Duration wait;

    TopicClients(String bootstrap, Duration wait) {
        this.bootstrap = bootstrap;
        this.wait = wait;
    }

    /** Publishes {@code version} to model-versions (keyed by its model) and waits for the ack. */
    void publish(ModelVersion version) throws Exception {
        try (KafkaProducer<String, ModelVersion> producer = producer(Topics.MODEL_VERSIONS)) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.MODEL_VERSIONS.name(), version.getModel(), version))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Reads {@code topic} from the start until {@code count} values pass {@code filter}, then
     * checks that no more than that many came.
     */
    <K, V> List<V> await(Topic<K, V> topic, int count, Predicate<V> filter) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = consumer(topic)) {
            consumer.subscribe(List.of(topic.name()));
            Awaitility.await(count + " records on " + topic.name())
                    .atMost(wait)
                    .pollInSameThread() // KafkaConsumer is not thread-safe: poll it on this thread
                    .pollInterval(Duration.ZERO) // poll() below waits for records itself
                    .untilAsserted(
                            () -> {
                                for (ConsumerRecord<K, V> r :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    if (filter.test(r.value())) {
                                        values.add(r.value());
                                    }
                                }
                                assertThat(values.size())
                                        .as(
                                                "wanted records on %s so far, the last: %s",
                                                topic.name(),
                                                values.isEmpty()
                                                        ? "none"
                                                        : values.get(values.size() - 1))
                                        .isGreaterThanOrEqualTo(count);
                            });
        }
        assertThat(values).as("records on %s, no more than asked for", topic.name()).hasSize(count);
        return values;
    }

    <K, V> KafkaProducer<K, V> producer(Topic<K, V> topic) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        Topics.MODEL_VERSION_MAX_BYTES),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    <K, V> KafkaConsumer<K, V> consumer(Topic<K, V> topic) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "it-" + topic.name() + "-" + System.nanoTime(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }
}
