package dev.streamlearn.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.version.VerifiedVersion;
import dev.streamlearn.models.version.VersionChain;
import dev.streamlearn.ops.process.CommittedRecords;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ScorerApp;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.trainer.flink.TrainingJobHandle;
import dev.streamlearn.trainer.flink.TrainingJobRunner;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels that grow (issue 16), through the real training job and scorer on one embedded broker: a
 * text stream whose labels go from 2 to 40 mid-stream is learned in full by a text classifier of
 * the default 8 slots (no example refused, nothing dead-lettered), the job publishes the grown
 * version (64 slots, 40 labels), and the scorer serves it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GrowingLabelsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String MODEL = ScorerOptions.DEFAULT_TEXT_MODEL;
    private static final int LABELS = 40;
    private static final int TWO_LABEL_EXAMPLES = 96;
    private static final int ROUNDS = 30;
    private static final int EXAMPLES = TWO_LABEL_EXAMPLES + LABELS * ROUNDS;

    @TempDir Path dir;

    @Test
    void aStreamGoingFromTwoToFortyLabelsIsLearnedInFullAndTheGrownVersionIsServed()
            throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = KafkaAdmin.connect(bootstrap)) {
                new TopicInstaller(admin).install(Topics.all());
            }
            // Given 96 texts of 2 labels, then 30 rounds of 40 labels, waiting in text-events
            List<TextEvent> stream = new ArrayList<>();
            for (int i = 0; i < TWO_LABEL_EXAMPLES; i++) {
                stream.add(example("train-" + i, i % 2, i, true));
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int k = 0; k < LABELS; k++) {
                    stream.add(example("train-" + stream.size(), k, round, true));
                }
            }
            send(bootstrap, stream);

            // When the job trains a classifier of the default slots on them (a small vocabulary
            // keeps versions small; mini-batches fixed at 8, so each is fitted as it fills)
            ModelSpec spec =
                    TextClassifierSpec.defaults()
                            .with(TextClassifierSpec.VOCAB_SIZE, 1 << 12)
                            .with(TextClassifierSpec.EMBEDDING_SIZE, 16);
            try (TrainingJobHandle trainer =
                    TrainingJobRunner.start(
                            bootstrap,
                            dir.resolve("checkpoints"),
                            List.of(ModelDefinition.of(MODEL, spec)),
                            TrainingOptions.defaults()
                                    .withPublishInterval(Duration.ofSeconds(1))
                                    .withMaxBatchSize(8))) {
                CommittedRecords.await(
                        bootstrap,
                        Topics.MODEL_VERSIONS,
                        v -> v.getExamplesSeen() == EXAMPLES,
                        WAIT);
            }

            // Then the newest version learned every one of the labelled texts: the grown model
            List<ModelVersion> versions =
                    CommittedRecords.readAll(bootstrap, Topics.MODEL_VERSIONS);
            ModelVersion grown = versions.get(versions.size() - 1);
            assertThat(grown.getExamplesSeen()).isEqualTo(EXAMPLES);
            // (rebuilt through the deltas since the newest full version)
            List<VerifiedVersion> rebuilt =
                    VersionChain.verifyAll(
                            versions.stream()
                                    .filter(v -> v.getModel().equals(grown.getModel()))
                                    .toList());
            ModelWeights weights = rebuilt.get(rebuilt.size() - 1).weights();
            assertThat(TextClassifierSpec.labels(weights.spec())).hasSize(LABELS);
            assertThat(weights.spec().get(TextClassifierSpec.MAX_LABELS)).isEqualTo(64);
            assertThat(grown.getSpec()).containsEntry("maxLabels", "64");
            List<DeadLetter> refused = CommittedRecords.readAll(bootstrap, Topics.DEAD_LETTERS);
            assertThat(refused).as("texts the trainer refused").isEmpty();

            // And the scorer, started on the topics, scores with the grown version and its labels
            try (ScorerApp scorer =
                    ScorerApp.start(
                            bootstrap,
                            dir.resolve("scorer"),
                            null,
                            // Following the latest: the grown version serves without the gate.
                            ScorerOptions.defaults().withDefaultPolicy(ServingPolicy.FOLLOW))) {
                assertThat(scorer.awaitRunning(WAIT)).as("scorer running").isTrue();
                List<TextEvent> probes = new ArrayList<>();
                for (int k = 0; k < LABELS; k++) {
                    probes.add(example("probe-" + k, k, 0, false));
                }
                send(bootstrap, probes);
                List<TextScore> scores = awaitProbeScores(bootstrap);
                assertThat(scores)
                        .allSatisfy(
                                s -> {
                                    assertThat(s.getModelVersion()).isEqualTo(grown.getVersion());
                                    assertThat(s.getProbabilities()).hasSize(LABELS);
                                });
                long right =
                        scores.stream()
                                .filter(
                                        s ->
                                                s.getPredictedLabel()
                                                        .equals(
                                                                s.getEventId()
                                                                        .replace(
                                                                                "probe-", "topic")))
                                .count();
                assertThat(right).as("probes scored with their topic").isGreaterThanOrEqualTo(36);
            }
        }
    }

    /** The scores of the 40 probes, once all are committed. */
    private static List<TextScore> awaitProbeScores(String bootstrap) {
        List<TextScore> probes = new ArrayList<>();
        Awaitility.await("scores of all " + LABELS + " probes on text-scores")
                .atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            probes.clear();
                            CommittedRecords.readAll(bootstrap, Topics.TEXT_SCORES).stream()
                                    .filter(s -> s.getEventId().startsWith("probe-"))
                                    .forEach(probes::add);
                            assertThat(probes).hasSize(LABELS);
                        });
        return probes;
    }

    static TextEvent example(String id, int topic, int i, boolean labelled) {
        return new TextEvent(
                id,
                Instant.now(),
                "word" + topic + " marker" + topic + " shared text " + (i % 5) + " filler",
                labelled ? "topic" + topic : null);
    }

    private static void send(String bootstrap, List<TextEvent> events) throws Exception {
        try (KafkaProducer<String, TextEvent> producer =
                new KafkaProducer<>(
                        // Not idempotent, one request in flight: order per partition is kept, and
                        // a slow embedded broker cannot leave the producer retrying a sequence
                        // number it no longer accepts (seen on a loaded machine).
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                false,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                                1),
                        Topics.TEXT_EVENTS.keySerde().serializer(),
                        Topics.TEXT_EVENTS.valueSerde().serializer())) {
            for (TextEvent e : events) {
                producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS.name(), e.getId(), e));
            }
            producer.flush();
        }
    }
}
