package dev.streamlearn.trainer.flink;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Per-test topics on a real broker, a producer of raw records and a read_committed waiter. */
final class KafkaTestTopics {
    private final String bootstrap;

    KafkaTestTopics(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Input topics with {@code partitions}, outputs as the registry configures them. */
    KafkaTrainingIo create(String prefix, int partitions) throws Exception {
        KafkaTrainingIo io =
                new KafkaTrainingIo(
                        bootstrap,
                        prefix,
                        prefix + "-series-points",
                        prefix + "-text-events",
                        prefix + "-model-versions",
                        prefix + "-training-metrics",
                        prefix + "-dead-letters");
        try (Admin admin = KafkaAdmin.connect(bootstrap)) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(io.seriesTopic(), partitions, (short) 1),
                                    new NewTopic(io.textTopic(), partitions, (short) 1),
                                    new NewTopic(io.versionsTopic(), 1, (short) 1)
                                            .configs(Topics.MODEL_VERSIONS.configs()),
                                    new NewTopic(io.metricsTopic(), 1, (short) 1),
                                    new NewTopic(io.deadLettersTopic(), 1, (short) 1)
                                            .configs(
                                                    Map.of(
                                                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                                            Integer.toString(
                                                                    Topics
                                                                            .MODEL_VERSION_MAX_BYTES)))))
                    .all()
                    .get();
        }
        return io;
    }

    /** Writes raw records (key, value) to {@code topic}, all acknowledged on return. */
    void produce(String topic, List<byte[][]> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[][] r : records) {
                producer.send(new ProducerRecord<>(topic, r[0], r[1]));
            }
            producer.flush();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads {@code topic} from the start, read_committed, until {@code done} holds for everything
     * read so far, and returns it.
     *
     * @throws AssertionError at the deadline, saying what was expected and what arrived
     */
    <T> List<T> awaitCommitted(
            String topic,
            Function<byte[], T> decode,
            Predicate<List<T>> done,
            Duration timeout,
            String expected,
            Function<List<T>, String> describe) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MODEL_VERSION_MAX_BYTES);
        List<T> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            // Polled on this thread: a KafkaConsumer is single-threaded.
            return Awaitility.await(expected + " on " + topic)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .pollInSameThread()
                    .until(
                            () -> {
                                for (ConsumerRecord<byte[], byte[]> r :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    seen.add(decode.apply(r.value()));
                                }
                                return done.test(seen) ? List.copyOf(seen) : null;
                            },
                            Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "waited "
                            + timeout
                            + " on "
                            + topic
                            + " for "
                            + expected
                            + "; arrived: "
                            + describe.apply(seen),
                    e);
        }
    }
}
