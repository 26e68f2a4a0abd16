package dev.streamlearn.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.ingestion.file.FileRows;
import dev.streamlearn.ingestion.file.ImageFieldMapping;
import dev.streamlearn.ingestion.normalize.NormalizerApp;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.ops.process.CommittedRecords;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.ImageScore;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.ScorerApp;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.trainer.TrainingFamilies;
import dev.streamlearn.trainer.flink.TrainingJobHandle;
import dev.streamlearn.trainer.flink.TrainingJobRunner;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
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
 * A {@code cnn-classifier} declared in a pipeline file (issue 19 item 2), fed as any Kafka client
 * would feed it, JSON on {@code image-events-json} (pixel arrays, and a base64 PNG), through the
 * normalizer, the training job and the scorer on one embedded broker: digits sent after two
 * published versions are scored by a later version, each with its saliency grid.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ImagePipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int LEARNED = 1_000;
    private static final int SCORED = 100;

    @TempDir Path dir;

    private final Map<String, String> labels = new HashMap<>();

    @Test
    void jsonDigitsAreNormalizedLearnedAndScoredByLaterVersionsWithTheirSaliency()
            throws Exception {
        // A small network, so a thousand digits learn in seconds: 4 filters, 16 dense units.
        Pipeline pipeline =
                PipelineFile.parse(
                        """
                        models:
                          - name: digits
                            family: cnn-classifier
                            spec: {filters: "4", dense: 16}
                            publish: {interval: 1s}
                        """,
                        "digits.yaml");
        List<ImageEvent> digits = digits(LEARNED + SCORED);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = KafkaAdmin.connect(bootstrap)) {
                new TopicInstaller(admin).install(pipeline.topics());
            }
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
                // Given 1,000 labelled digits sent as JSON pixel arrays in two halves, each
                // learned and published (so the second half's version is a later one)
                for (int half = 0; half < 2; half++) {
                    sendJson(
                            bootstrap,
                            digits.subList(half * LEARNED / 2, (half + 1) * LEARNED / 2),
                            true);
                    long seen = (half + 1) * (long) LEARNED / 2;
                    CommittedRecords.await(
                            bootstrap,
                            Topics.MODEL_VERSIONS,
                            v -> v.getModel().equals("digits") && v.getExamplesSeen() == seen,
                            WAIT);
                }

                // When 100 more arrive without labels, one of them as a base64 PNG
                List<ImageEvent> late = digits.subList(LEARNED, LEARNED + SCORED);
                sendJson(bootstrap, late.subList(1, SCORED), false);
                sendPng(bootstrap, late.get(0));

                // Then the scorer scores them with a later version, each with a 7x7 saliency grid
                List<ImageScore> scores = new ArrayList<>();
                Awaitility.await((LEARNED + SCORED) + " scores on image-scores")
                        .atMost(WAIT)
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(
                                () -> {
                                    scores.clear();
                                    scores.addAll(
                                            CommittedRecords.readAll(
                                                    bootstrap, Topics.IMAGE_SCORES));
                                    assertThat(scores)
                                            .hasSizeGreaterThanOrEqualTo(LEARNED + SCORED);
                                });
                List<ImageScore> lateScores =
                        scores.stream().filter(s -> s.getEventId().startsWith("late-")).toList();
                assertThat(lateScores).hasSize(SCORED);
                assertThat(lateScores)
                        .allSatisfy(
                                s -> {
                                    assertThat(s.getModelVersion()).isGreaterThanOrEqualTo(2);
                                    assertThat(s.getSaliencyWidth()).isEqualTo(7);
                                    assertThat(s.getSaliencyHeight()).isEqualTo(7);
                                    assertThat(s.getSaliency()).hasSize(49).anyMatch(v -> v != 0);
                                    assertThat(s.getTrueLabel()).isNull();
                                });
                assertThat(lateScores)
                        .extracting(ImageScore::getEventId)
                        .contains("late-png-" + late.get(0).getId());
                long right =
                        lateScores.stream()
                                .filter(
                                        s ->
                                                s.getPredictedLabel()
                                                        .equals(labels.get(s.getEventId())))
                                .count();
                // Ten classes: guessing is right one time in ten (68 of 100 here).
                assertThat(right).as("late digits scored right of " + SCORED).isGreaterThan(40);
            }
        }
    }

    /** The first {@code n} digits of the shipped MNIST file. */
    private static List<ImageEvent> digits(int n) throws Exception {
        ImageFieldMapping mapping =
                new ImageFieldMapping("id", List.of(), 28, 28, 1, "label", null);
        List<ImageEvent> digits = new ArrayList<>();
        try (FileRows rows = FileRows.open(Path.of("..", "datasets", "mnist-8k.csv.gz"))) {
            while (digits.size() < n && rows.hasNext()) {
                digits.add(mapping.map(rows.next()).value());
            }
        }
        return digits;
    }

    private void sendJson(String bootstrap, List<ImageEvent> digits, boolean labelled)
            throws Exception {
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (ImageEvent digit : digits) {
                String id = (labelled ? "" : "late-") + digit.getId();
                labels.put(id, digit.getLabel());
                StringBuilder json = new StringBuilder("{\"width\":28,\"height\":28,\"pixels\":[");
                byte[] pixels = ByteBuffers.copyOf(digit.getPixels());
                for (int i = 0; i < pixels.length; i++) {
                    json.append(i == 0 ? "" : ",").append(pixels[i] & 0xFF);
                }
                json.append(']');
                if (labelled) {
                    json.append(",\"label\":\"").append(digit.getLabel()).append('"');
                }
                json.append('}');
                producer.send(
                        new ProducerRecord<>(Topics.IMAGE_EVENTS_JSON.name(), id, json.toString()));
            }
            producer.flush();
        }
    }

    /** The digit as a greyscale PNG, base64, with its id in the JSON rather than the key. */
    private void sendPng(String bootstrap, ImageEvent digit) throws Exception {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ByteBuffers.copyOf(digit.getPixels());
        int[] values = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = pixels[i] & 0xFF;
        }
        image.getRaster().setPixels(0, 0, 28, 28, values);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String id = "late-png-" + digit.getId();
        labels.put(id, digit.getLabel());
        String json =
                "{\"id\":\""
                        + id
                        + "\",\"png\":\""
                        + Base64.getEncoder().encodeToString(png.toByteArray())
                        + "\"}";
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(Topics.IMAGE_EVENTS_JSON.name(), null, json));
            producer.flush();
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new StringSerializer());
    }
}
