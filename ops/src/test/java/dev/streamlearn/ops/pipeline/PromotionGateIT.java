package dev.streamlearn.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VerifiedVersion;
import dev.streamlearn.models.version.VersionChain;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.ops.process.CommittedRecords;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never serve a worse model (issue 17), through the real training job and a gated scorer on one
 * embedded broker: while labelled texts stream in and the trainer publishes signed versions that
 * the gate promotes, a hand-published version signed with the trainer's own key, its checksum
 * valid, whose weights read every label as the other (as label-flipped training leaves them), is
 * rejected by the gate with its evidence, scores no event, and training and promotion go on after
 * it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PromotionGateIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String MODEL = ScorerOptions.DEFAULT_TEXT_MODEL;
    private static final SigningKey TRAINER = SigningKey.generate();

    @TempDir Path dir;

    @Test
    void aLabelFlippedVersionSignedWithTheTrainersKeyNeverServesWhileTrainingGoesOn()
            throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = KafkaAdmin.connect(bootstrap)) {
                new TopicInstaller(admin).install(Topics.all());
            }
            ModelSpec spec =
                    TextClassifierSpec.defaults()
                            .with(TextClassifierSpec.VOCAB_SIZE, 1 << 12)
                            .with(TextClassifierSpec.EMBEDDING_SIZE, 16);
            AtomicBoolean streaming = new AtomicBoolean(true);
            Thread feeder = new Thread(() -> feed(bootstrap, streaming), "labelled-texts");
            try (TrainingJobHandle trainer =
                            TrainingJobRunner.start(
                                    bootstrap,
                                    dir.resolve("checkpoints"),
                                    List.of(ModelDefinition.of(MODEL, spec)),
                                    TrainingOptions.defaults()
                                            .withPublishInterval(Duration.ofSeconds(2))
                                            .withSigningKey(TRAINER));
                    ScorerApp scorer =
                            ScorerApp.start(
                                    bootstrap,
                                    dir.resolve("scorer"),
                                    null,
                                    ScorerOptions.defaults()
                                            .withTrust(
                                                    VersionTrust.signedBy(
                                                            TRAINER.publicKeyId())))) {
                assertThat(scorer.awaitRunning(WAIT)).as("scorer running").isTrue();
                feeder.start();

                // Given the gate has promoted a trained version after the first
                CommittedRecords.await(
                        bootstrap,
                        Topics.MODEL_EVENTS,
                        e -> e.getDecision() == GateDecision.PROMOTED && e.getVersion() >= 2,
                        WAIT);

                // When a label-flipped copy of the newest version, signed with the trainer's
                // key, is published above it
                VerifiedVersion newest = newestVersion(bootstrap);
                ModelVersion flipped = labelFlipped(newest, newest.version() + 3);
                publish(bootstrap, flipped);

                // Then the gate rejects it within 500 labelled events, with its evidence
                ModelEvent rejected =
                        CommittedRecords.await(
                                bootstrap,
                                Topics.MODEL_EVENTS,
                                e ->
                                        e.getVersion() == flipped.getVersion()
                                                && e.getDecision() != GateDecision.PROMOTED,
                                WAIT);
                assertThat(rejected.getDecision()).isEqualTo(GateDecision.REJECTED);
                assertThat(rejected.getEvents()).isBetween(1L, 500L);
                assertThat(rejected.getCandidateLoss()).isGreaterThan(rejected.getAgainstLoss());
                assertThat(rejected.getDifferenceBound()).isGreaterThan(rejected.getMargin());

                // And training goes on: a later trained version is promoted
                CommittedRecords.await(
                        bootstrap,
                        Topics.MODEL_EVENTS,
                        e ->
                                e.getDecision() == GateDecision.PROMOTED
                                        && e.getVersion() > flipped.getVersion(),
                        WAIT);
                streaming.set(false);
                feeder.join();

                // And not one event was scored with the flipped version
                List<TextScore> scores = CommittedRecords.readAll(bootstrap, Topics.TEXT_SCORES);
                assertThat(scores).isNotEmpty();
                assertThat(scores).noneMatch(s -> s.getModelVersion() == flipped.getVersion());
            } finally {
                streaming.set(false);
                feeder.join();
            }
        }
    }

    /** The newest version, with its full weights rebuilt through the deltas before it. */
    private static VerifiedVersion newestVersion(String bootstrap) throws Exception {
        List<ModelVersion> versions =
                CommittedRecords.readAll(bootstrap, Topics.MODEL_VERSIONS).stream()
                        .filter(v -> v.getModel().equals(MODEL))
                        .toList();
        return VersionChain.verifyAll(versions, VersionTrust.signedBy(TRAINER.publicKeyId()))
                .stream()
                .max(Comparator.comparingLong(VerifiedVersion::version))
                .orElseThrow();
    }

    /**
     * {@code source}'s weights with the two labels' output columns and biases swapped: every text
     * reads as the other label, as training on flipped labels would leave it. Valid checksum,
     * signed by the trainer's key, claiming the source's metrics.
     */
    private static ModelVersion labelFlipped(VerifiedVersion verified, long number)
            throws Exception {
        ModelVersion source = verified.record();
        ModelWeights weights = verified.weights();
        float[] params = weights.params().clone();
        ParameterLayout layout = ParameterLayout.of(weights.spec());
        ParameterBlock head = layout.block("2_W");
        ParameterBlock bias = layout.block("2_b");
        assertThat(TextClassifierSpec.labels(weights.spec())).hasSize(2);
        for (int d = 0; d < head.rows(); d++) {
            swap(params, head.offset() + d * head.cols(), head.offset() + d * head.cols() + 1);
        }
        swap(params, bias.offset(), bias.offset() + 1);
        return VersionContract.build(
                new ModelWeights(weights.spec(), params),
                new Provenance(
                        MODEL,
                        number,
                        source.getVersion(),
                        source.getExamplesSeen(),
                        source.getMetrics(),
                        source.getSourceOffsets(),
                        Instant.now()),
                TRAINER);
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Labelled texts of two topics, about 500 a second, until told to stop. */
    private static void feed(String bootstrap, AtomicBoolean streaming) {
        try (KafkaProducer<String, TextEvent> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.LINGER_MS_CONFIG,
                                5),
                        Topics.TEXT_EVENTS.keySerde().serializer(),
                        Topics.TEXT_EVENTS.valueSerde().serializer())) {
            for (long i = 0; streaming.get(); i++) {
                boolean spam = i % 2 == 0;
                String text =
                        (spam ? "win a prize now claim cash" : "meeting notes for the team")
                                + " item "
                                + (i % 7);
                String id = "t-" + i;
                producer.send(
                        new ProducerRecord<>(
                                Topics.TEXT_EVENTS.name(),
                                id,
                                new TextEvent(id, Instant.now(), text, spam ? "spam" : "ham")));
                if (i % 10 == 9) {
                    Thread.sleep(20);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void publish(String bootstrap, ModelVersion version) throws Exception {
        try (KafkaProducer<String, ModelVersion> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                Topics.MODEL_VERSION_MAX_BYTES),
                        Topics.MODEL_VERSIONS.keySerde().serializer(),
                        Topics.MODEL_VERSIONS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.MODEL_VERSIONS.name(), MODEL, version))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
