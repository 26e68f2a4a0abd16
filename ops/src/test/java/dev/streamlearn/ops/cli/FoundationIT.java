package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.ops.json.AvroJson;
import dev.streamlearn.ops.tail.TopicTail;
import dev.streamlearn.schemas.SampleRecords;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The foundation end to end on a real broker: `topics create` makes every topic with its configs
 * (checked through the AdminClient), one record of every Avro type survives a real producer and
 * consumer, and `tail` prints each as JSON.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FoundationIT {
    @TempDir static Path dataDir;
    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dataDir, 0);
        admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    @Order(1)
    void topicsCreateMakesEveryTopicWithItsPartitionsAndConfigs() throws Exception {
        Run run = streamlearn("topics", "create", "--bootstrap", broker.bootstrapServers());

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out.lines())
                .hasSize(Topics.all().size())
                .allMatch(line -> line.contains("created"));
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        for (Topic<?, ?> topic : Topics.all()) {
            assertThat(names).contains(topic.name());
            TopicDescription description =
                    admin.describeTopics(List.of(topic.name()))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(topic.name());
            assertThat(description.partitions()).as(topic.name()).hasSize(topic.partitions());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
            Config config =
                    admin.describeConfigs(List.of(resource))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(resource);
            topic.configs()
                    .forEach(
                            (key, value) ->
                                    assertThat(config.get(key).value())
                                            .as("%s %s", topic.name(), key)
                                            .isEqualTo(value));
        }
    }

    @Test
    @Order(2)
    void topicsCreateASecondTimeChangesNothing() {
        Run run = streamlearn("topics", "create", "--bootstrap", broker.bootstrapServers());

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out.lines())
                .hasSize(Topics.all().size())
                .allMatch(line -> line.contains("unchanged"));
    }

    @Test
    @Order(3)
    void oneRecordOfEveryTypeRoundTripsThroughARealProducerAndConsumer() throws Exception {
        for (Topic<?, ?> topic : Topics.all()) {
            Object sample = SampleRecords.forTopic(topic.name());

            produce(topic, sample);

            assertThat(consumeOne(topic)).as(topic.name()).isEqualTo(sample);
        }
    }

    @Test
    @Order(4)
    void tailPrintsEveryRecordAsJson() throws Exception {
        for (Topic<?, ?> topic : Topics.all()) {
            Run run =
                    streamlearn(
                            "tail",
                            topic.name(),
                            "--bootstrap",
                            broker.bootstrapServers(),
                            "--from-beginning");

            assertThat(run.exit).as(run.err).isZero();
            List<String> lines = run.out.lines().toList();
            assertThat(lines).as(topic.name()).hasSize(1);
            JsonNode line = AvroJson.MAPPER.readTree(lines.get(0));
            assertThat(line.get("topic").asText()).isEqualTo(topic.name());
            assertThat(line.has("partition")).isTrue();
            assertThat(line.get("offset").asLong()).isZero();
            assertThat(line.get("timestamp").asText()).isNotBlank();
            assertThat(line.has("key")).isTrue();
            assertThat(line.has("error")).as("decoded without error: %s", line).isFalse();
            JsonNode expected =
                    AvroJson.MAPPER.readTree(
                            AvroJson.MAPPER.writeValueAsString(
                                    TopicTail.valueJson(SampleRecords.forTopic(topic.name()))));
            assertThat(line.get("value")).as(topic.name()).isEqualTo(expected);
        }
    }

    @Test
    @Order(5)
    void tailWithoutFromBeginningOrFollowStopsAtTheEndAtOnce() {
        Run run = streamlearn("tail", "text-events", "--bootstrap", broker.bootstrapServers());

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).isEmpty();
    }

    @Test
    @Order(6)
    void tailShowsAnUnreadableValueWithItsReasonAndGoesOn() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        producerConfig(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    "text-events",
                                    "bad".getBytes(StandardCharsets.UTF_8),
                                    "{\"id\":\"not avro\"}".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }

        Run run =
                streamlearn(
                        "tail",
                        "text-events",
                        "--bootstrap",
                        broker.bootstrapServers(),
                        "--from-beginning");

        List<String> lines = run.out.lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode bad = AvroJson.MAPPER.readTree(lines.get(1));
        assertThat(bad.get("key").asText()).isEqualTo("bad");
        assertThat(bad.get("error").asText())
                .startsWith("topic text-events: expected a single-object Avro TextEvent");
    }

    @Test
    @Order(7)
    void tailStopsAfterMaxRecords() {
        Run run =
                streamlearn(
                        "tail",
                        "text-events",
                        "--bootstrap",
                        broker.bootstrapServers(),
                        "--from-beginning",
                        "--max",
                        "1");

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out.lines()).hasSize(1);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> void produce(Topic<K, V> topic, Object value) throws Exception {
        try (KafkaProducer<K, V> producer =
                new KafkaProducer<>(
                        producerConfig(),
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())) {
            K key =
                    topic.keySerde()
                                    instanceof
                                    org.apache.kafka.common.serialization.Serdes.ByteArraySerde
                            ? (K) "key".getBytes(StandardCharsets.UTF_8)
                            : (K) "key";
            producer.send(new ProducerRecord<>(topic.name(), key, (V) value))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static <K, V> V consumeOne(Topic<K, V> topic) {
        try (KafkaConsumer<K, V> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers(),
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<V> values = new ArrayList<>();
            await("a record on " + topic.name())
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread() // KafkaConsumer is not thread-safe: poll it on this thread
                    .pollInterval(Duration.ZERO) // poll() below waits for records itself
                    .untilAsserted(
                            () -> {
                                for (ConsumerRecord<K, V> record :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    values.add(record.value());
                                }
                                assertThat(values).as("records on %s", topic.name()).isNotEmpty();
                            });
            return values.get(0);
        }
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Topics.MODEL_VERSION_MAX_BYTES);
    }

    private record Run(int exit, String out, String err) {}

    private static Run streamlearn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
