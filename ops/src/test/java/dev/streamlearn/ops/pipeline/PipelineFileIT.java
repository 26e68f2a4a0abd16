package dev.streamlearn.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.ops.process.CommittedRecords;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ScorerApp;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.flink.TrainingJobHandle;
import dev.streamlearn.trainer.flink.TrainingJobRunner;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Files;
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
 * A pipeline file with two text models on two topics (issue 15 item 2), through the real training
 * job and scorer on one embedded broker: each model is trained on its own topic's labelled texts
 * and scores its own topic's events with its own versions and labels.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PipelineFileIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TICKETS = "support-tickets";
    private static final int EXAMPLES = 400;

    @TempDir Path dir;

    @Test
    void twoTextModelsOnTwoTopicsAreTrainedAndServedEachOnItsOwn() throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(
                file,
                """
                # a spam filter on the usual topic, a ticket router on a topic of its own
                models:
                  - name: spam
                    family: text-classifier
                    spec: {vocabSize: 4096, embeddingSize: 16}
                    publish: {interval: 1s}
                  - name: tickets
                    family: text-classifier
                    topic: support-tickets
                    spec: {vocabSize: 4096, embeddingSize: 16}
                    publish: {interval: 1s}
                """);
        Pipeline pipeline = PipelineFile.read(file);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = KafkaAdmin.connect(bootstrap)) {
                // As train and score do: the registry's topics and the file's input topics
                new TopicInstaller(admin).install(pipeline.topics());
            }
            // Given labelled mail on text-events and labelled tickets on support-tickets
            List<TextEvent> mail = new ArrayList<>();
            List<TextEvent> tickets = new ArrayList<>();
            for (int i = 0; i < EXAMPLES; i++) {
                mail.add(text("mail-" + i, i % 2 == 0 ? "spam" : "ham", i, true));
                tickets.add(text("ticket-" + i, i % 2 == 0 ? "billing" : "outage", i, true));
            }
            send(bootstrap, Topics.TEXT_EVENTS.name(), mail);
            send(bootstrap, TICKETS, tickets);

            // When the job trains the file's models and the scorer serves them
            try (TrainingJobHandle trainer =
                            TrainingJobRunner.start(
                                    bootstrap,
                                    dir.resolve("checkpoints"),
                                    TrainingFamilies.models(pipeline, Map.of()),
                                    TrainingOptions.defaults().withMaxBatchSize(8));
                    ScorerApp scorer =
                            ScorerApp.start(
                                    bootstrap,
                                    dir.resolve("scorer"),
                                    null,
                                    ScorerOptions.defaults().withServed(pipeline))) {
                CommittedRecords.await(
                        bootstrap,
                        Topics.MODEL_VERSIONS,
                        v -> v.getModel().equals("tickets") && v.getExamplesSeen() == EXAMPLES,
                        WAIT);
                CommittedRecords.await(
                        bootstrap,
                        Topics.MODEL_VERSIONS,
                        v -> v.getModel().equals("spam") && v.getExamplesSeen() == EXAMPLES,
                        WAIT);
                assertThat(scorer.awaitRunning(WAIT)).as("scorer running").isTrue();

                // Then each topic's events are scored by its own model, with its own labels
                List<TextScore> scores = awaitScores(bootstrap, 2 * EXAMPLES);
                assertThat(scores)
                        .filteredOn(s -> s.getEventId().startsWith("mail-"))
                        .hasSize(EXAMPLES)
                        .allSatisfy(
                                s -> {
                                    assertThat(s.getModel()).isEqualTo("spam");
                                    assertThat(s.getProbabilities())
                                            .containsOnlyKeys("spam", "ham");
                                });
                assertThat(scores)
                        .filteredOn(s -> s.getEventId().startsWith("ticket-"))
                        .hasSize(EXAMPLES)
                        .allSatisfy(
                                s -> {
                                    assertThat(s.getModel()).isEqualTo("tickets");
                                    assertThat(s.getProbabilities())
                                            .containsOnlyKeys("billing", "outage");
                                });
                // And each model's versions are its own, numbered from 1
                List<ModelVersion> versions =
                        CommittedRecords.readAll(bootstrap, Topics.MODEL_VERSIONS);
                for (String model : List.of("spam", "tickets")) {
                    assertThat(versions)
                            .filteredOn(v -> v.getModel().equals(model))
                            .first()
                            .extracting(ModelVersion::getVersion)
                            .isEqualTo(1L);
                }
            }
        }
    }

    private static List<TextScore> awaitScores(String bootstrap, int expected) {
        List<TextScore> scores = new ArrayList<>();
        Awaitility.await(expected + " scores on text-scores")
                .atMost(WAIT)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            scores.clear();
                            scores.addAll(CommittedRecords.readAll(bootstrap, Topics.TEXT_SCORES));
                            assertThat(scores).hasSizeGreaterThanOrEqualTo(expected);
                        });
        return scores;
    }

    /** A text whose words say its label, so a small model learns it quickly. */
    private static TextEvent text(String id, String label, int i, boolean labelled) {
        return new TextEvent(
                id,
                Instant.now(),
                "about " + label + " " + label + "-word case " + (i % 7),
                labelled ? label : null);
    }

    private static void send(String bootstrap, String topic, List<TextEvent> events)
            throws Exception {
        try (KafkaProducer<String, TextEvent> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        Topics.TEXT_EVENTS.keySerde().serializer(),
                        Topics.TEXT_EVENTS.valueSerde().serializer())) {
            for (TextEvent e : events) {
                producer.send(new ProducerRecord<>(topic, e.getId(), e));
            }
            producer.flush();
        }
    }
}
