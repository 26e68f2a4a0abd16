package dev.streamlearn.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.ingestion.generate.SyntheticXor;
import dev.streamlearn.ingestion.normalize.NormalizerApp;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.ops.process.CommittedRecords;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.avro.VectorScore;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ScorerApp;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.flink.TrainingJobHandle;
import dev.streamlearn.trainer.flink.TrainingJobRunner;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code mlp-classifier} declared in a pipeline file (issue 19 item 1), fed as any Kafka client
 * would feed it, JSON on {@code vector-events-json}, through the normalizer, the training job and
 * the scorer on one embedded broker: its later versions score new XOR points right.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class VectorPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int LEARNED = 2_000;
    private static final int SCORED = 200;

    @TempDir Path dir;

    @Test
    void jsonVectorsAreNormalizedLearnedAndScoredByLaterVersions() throws Exception {
        Pipeline pipeline =
                PipelineFile.parse(
                        """
                        models:
                          - {name: xor, family: mlp-classifier, publish: {interval: 1s}}
                        """,
                        "xor.yaml");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
                new TopicInstaller(admin).install(pipeline.topics());
            }
            SyntheticXor xor = new SyntheticXor(1, LEARNED + SCORED, 0.3);
            try (NormalizerApp normalizer =
                            NormalizerApp.start(bootstrap, dir.resolve("normalizer"));
                    TrainingJobHandle trainer =
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
                                    ScorerOptions.defaults()
                                            .withServed(pipeline)
                                            .withDefaultPolicy(ServingPolicy.FOLLOW))) {
                // Given 2,000 labelled XOR points sent as JSON in two halves, each learned and
                // published (so the second half's version is a later one)
                for (int half = 1; half <= 2; half++) {
                    sendJson(bootstrap, xor, LEARNED / 2, true);
                    long seen = half * (long) LEARNED / 2;
                    CommittedRecords.await(
                            bootstrap,
                            Topics.MODEL_VERSIONS,
                            v -> v.getModel().equals("xor") && v.getExamplesSeen() == seen,
                            WAIT);
                }

                // When 200 more arrive without labels
                sendJson(bootstrap, xor, SCORED, false);

                // Then the scorer scores them with a later version, and right
                List<VectorScore> scores = new ArrayList<>();
                Awaitility.await((LEARNED + SCORED) + " scores on vector-scores")
                        .atMost(WAIT)
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(
                                () -> {
                                    scores.clear();
                                    scores.addAll(
                                            CommittedRecords.readAll(
                                                    bootstrap, Topics.VECTOR_SCORES));
                                    assertThat(scores)
                                            .hasSizeGreaterThanOrEqualTo(LEARNED + SCORED);
                                });
                List<VectorScore> late =
                        scores.stream().filter(s -> s.getEventId().startsWith("late-")).toList();
                assertThat(late).hasSize(SCORED);
                assertThat(late)
                        .allSatisfy(s -> assertThat(s.getModelVersion()).isGreaterThanOrEqualTo(2));
                assertThat(late).allSatisfy(s -> assertThat(s.getContributions()).hasSize(2));
                long right =
                        late.stream()
                                .filter(s -> s.getPredictedLabel().equals(xorLabel(s.getEventId())))
                                .count();
                assertThat(right).as("late points scored right of " + SCORED).isGreaterThan(180);
            }
        }
    }

    private final Map<String, String> labels = new java.util.HashMap<>();

    private String xorLabel(String id) {
        return labels.get(id);
    }

    private void sendJson(String bootstrap, SyntheticXor xor, int n, boolean labelled)
            throws Exception {
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                VectorEvent e = xor.next();
                String id = (labelled ? "" : "late-") + e.getId();
                labels.put(id, e.getLabel());
                String json =
                        "{\"features\":["
                                + e.getFeatures().get(0)
                                + ","
                                + e.getFeatures().get(1)
                                + "]"
                                + (labelled ? ",\"label\":\"" + e.getLabel() + "\"" : "")
                                + "}";
                producer.send(new ProducerRecord<>(Topics.VECTOR_EVENTS_JSON.name(), id, json));
            }
            producer.flush();
        }
    }
}
