package dev.streamlearn.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.ingestion.normalize.NormalizerApp;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ModelVersions;
import dev.streamlearn.scorer.ScorerApp;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any Kafka client feeds the pipeline: Debian's kcat (librdkafka, no Java) writes JSON to
 * text-events-json, the normalizer turns it into Avro, and the scorer scores it. Runs where kcat is
 * installed (`.ci/run` installs it).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KcatJsonIT {
    private static final Path KCAT = Path.of("/usr/bin/kcat");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir Path dir;

    @Test
    void jsonProducedByKcatIsScoredAndBadJsonIsDeadLettered() throws Exception {
        assumeTrue(
                Files.isExecutable(KCAT),
                "kcat is not installed (apt-get install kcat): skipping the kcat IT");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = KafkaAdmin.connect(bootstrap)) {
                new TopicInstaller(admin).install(Topics.all());
            }
            publish(bootstrap, ModelVersions.text(1));
            try (NormalizerApp normalizer =
                            NormalizerApp.start(bootstrap, dir.resolve("normalizer"));
                    ScorerApp scorer =
                            ScorerApp.start(
                                    bootstrap,
                                    dir.resolve("scorer"),
                                    null,
                                    ScorerOptions.defaults())) {

                kcat(bootstrap, "kcat-1", "{\"text\":\"Cheap loans, act now\",\"label\":\"spam\"}");
                kcat(bootstrap, "kcat-2", "this is not json");

                TextScore score =
                        awaitOne(
                                bootstrap,
                                Topics.TEXT_SCORES,
                                s -> s.getEventId().equals("kcat-1"));
                assertThat(score.getModelVersion()).isEqualTo(1);
                assertThat(score.getTrueLabel()).isEqualTo("spam");
                DeadLetter letter =
                        awaitOne(
                                bootstrap,
                                Topics.DEAD_LETTERS,
                                d -> d.getStage().equals("normalize"));
                assertThat(letter.getSourceTopic()).isEqualTo("text-events-json");
                assertThat(letter.getError()).startsWith("text-events-json: the value is not JSON");
            }
        }
    }

    private static void kcat(String bootstrap, String key, String json)
            throws IOException, InterruptedException {
        Process kcat =
                new ProcessBuilder(
                                KCAT.toString(),
                                "-b",
                                bootstrap,
                                "-t",
                                Topics.TEXT_EVENTS_JSON.name(),
                                "-P",
                                "-k",
                                key)
                        .redirectErrorStream(true)
                        .start();
        try (OutputStream in = kcat.getOutputStream()) {
            in.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).as("kcat finished").isTrue();
        assertThat(kcat.exitValue())
                .as(new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
    }

    private static void publish(String bootstrap, ModelVersion version) throws Exception {
        try (KafkaProducer<String, ModelVersion> producer =
                new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        Topics.MODEL_VERSIONS.keySerde().serializer(),
                        Topics.MODEL_VERSIONS.valueSerde().serializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    Topics.MODEL_VERSIONS.name(), version.getModel(), version))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static <V> V awaitOne(String bootstrap, Topic<?, V> topic, Predicate<V> wanted) {
        List<V> seen = new ArrayList<>();
        try (KafkaConsumer<?, V> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "kcat-it-" + topic.name(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            await("a matching record on " + topic.name())
                    .atMost(WAIT)
                    .pollInSameThread() // KafkaConsumer is not thread-safe: poll it on this thread
                    .pollInterval(Duration.ZERO) // poll() below waits for records itself
                    .untilAsserted(
                            () -> {
                                for (ConsumerRecord<?, V> record :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    seen.add(record.value());
                                }
                                assertThat(seen).as("records on %s", topic).anyMatch(wanted);
                            });
        }
        return seen.stream().filter(wanted).findFirst().orElseThrow();
    }
}
