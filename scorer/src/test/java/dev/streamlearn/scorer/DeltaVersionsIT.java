package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.codec.WeightsCodec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.HeldWeights;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.registry.RegistryReader;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, light versions, on a real broker: a scorer rebuilds a delta version on the full weights
 * of the version it changes and serves it; a delta whose parent it does not hold is refused and
 * dead-lettered with that reason, and so is the delta after it, while scoring goes on with the
 * version serving; the next full version then serves. {@code models list}'s reader agrees.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DeltaVersionsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String MODEL = "text-classifier";
    private static final SigningKey TRAINER = SigningKey.generate();
    private static final VersionTrust TRUST = VersionTrust.signedBy(TRAINER.publicKeyId());

    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static TopicClients topics;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0);
        topics = new TopicClients(broker.bootstrapServers(), WAIT);
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            new TopicInstaller(admin).install(Topics.all());
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** The trainer's weights after version {@code n}: random ones, then a few rows moved each. */
    private static ModelWeights weights(long n) {
        float[] params = new float[ParameterLayout.of(ModelVersions.TEXT_SPEC).size()];
        Random random = new Random(7);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.2);
        }
        int d = ParameterLayout.of(ModelVersions.TEXT_SPEC).block("0_W").cols();
        for (int v = 2; v <= n; v++) {
            params[(v * 13 % 256) * d] += 0.1f * v;
        }
        return new ModelWeights(ModelVersions.TEXT_SPEC, params);
    }

    private static Provenance provenance(long n) {
        return new Provenance(
                MODEL, n, n - 1, n * 8, Map.of(), List.of(), Instant.parse("2026-12-05T04:00:00Z"));
    }

    private static ModelVersion full(long n) {
        return VersionContract.build(weights(n), provenance(n), TRAINER);
    }

    private static ModelVersion delta(long n) {
        ModelWeights parent = weights(n - 1);
        return VersionContract.buildDelta(
                weights(n),
                provenance(n),
                new HeldWeights(n - 1, parent, WeightsCodec.sha256Hex(parent.params())),
                TRAINER);
    }

    @Test
    void aDeltaWhoseParentIsMissingIsRefusedWithItsReasonWhileScoringGoesOn() throws Exception {
        // Given a scorer serving the trainer's full version 1, then its delta 2
        topics.publish(full(1));
        ScorerOptions options =
                ScorerOptions.defaults()
                        // Without the gate: a version serves on arrival.
                        .withDefaultPolicy(ServingPolicy.FOLLOW)
                        .withTrust(TRUST);
        try (ScorerApp scorer =
                ScorerApp.start(broker.bootstrapServers(), dir.resolve("state"), null, options)) {
            assertThat(scorer.awaitRunning(WAIT)).as("scorer running").isTrue();
            ModelVersion two = delta(2);
            assertThat(two.getWeights().remaining())
                    .isLessThan(full(2).getWeights().remaining() / 10);
            topics.publish(two);
            Awaitility.await("delta version 2 accepted")
                    .atMost(WAIT)
                    .until(() -> scorer.registry().orElseThrow().serving(MODEL).orElse(0) == 2);
            assertThat(scorer.registry().orElseThrow().parent(MODEL).orElseThrow().weights())
                    .isEqualTo(weights(2));
            sendTexts("before-", 20);
            assertThat(awaitScores("before-", 20))
                    .allSatisfy(s -> assertThat(s.getModelVersion()).isEqualTo(2));

            // When deltas 4 and 5 arrive, but version 3 never did
            topics.publish(delta(4));
            topics.publish(delta(5));

            // Then both are dead-lettered by the registry with the reason
            List<DeadLetter> refusals = awaitRefusals(2);
            assertThat(refusals)
                    .extracting(DeadLetter::getError)
                    .containsExactly(
                            MODEL
                                    + " version 4 is a delta of version 3, whose full weights this"
                                    + " reader does not hold (it holds version 2); refused until a"
                                    + " version with full weights arrives",
                            MODEL
                                    + " version 5 is a delta of version 4, whose full weights this"
                                    + " reader does not hold (it holds version 2); refused until a"
                                    + " version with full weights arrives");
            assertThat(refusals)
                    .allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo("model-versions"));
            assertThat(scorer.metrics().versionsRejected.sum()).isEqualTo(2);
            assertThat(scorer.metrics().versionsUntrusted.sum()).isZero();

            // And scoring goes on with version 2
            sendTexts("after-", 20);
            assertThat(awaitScores("after-", 20))
                    .allSatisfy(s -> assertThat(s.getModelVersion()).isEqualTo(2));

            // Until the next full version, 6, which serves, and whose delta 7 serves after it
            topics.publish(full(6));
            topics.publish(delta(7));
            Awaitility.await("versions 6 and 7 accepted")
                    .atMost(WAIT)
                    .until(() -> scorer.registry().orElseThrow().serving(MODEL).orElse(0) == 7);
            assertThat(scorer.registry().orElseThrow().parent(MODEL).orElseThrow().weights())
                    .isEqualTo(weights(7));
            sendTexts("next-", 20);
            assertThat(awaitScores("next-", 20))
                    .allSatisfy(s -> assertThat(s.getModelVersion()).isEqualTo(7));
        }

        // And the reader of `models list`, reading back from the end, holds the same versions
        RegistryState read =
                RegistryReader.readModel(broker.bootstrapServers(), MODEL, 5, TRUST, WAIT);
        assertThat(read.model(MODEL).orElseThrow().heldVersions()).containsExactly(1L, 2L, 6L, 7L);
        RegistryState lastTwo =
                RegistryReader.readModel(broker.bootstrapServers(), MODEL, 1, TRUST, WAIT);
        assertThat(lastTwo.latest(MODEL)).hasValue(7);
    }

    private static void sendTexts(String prefix, int count) throws Exception {
        try (KafkaProducer<String, TextEvent> producer = topics.producer(Topics.TEXT_EVENTS)) {
            for (int i = 0; i < count; i++) {
                String id = prefix + i;
                producer.send(
                        new ProducerRecord<>(
                                Topics.TEXT_EVENTS.name(),
                                id,
                                new TextEvent(id, Instant.now(), "message number " + i, null)));
            }
            producer.flush();
        }
    }

    private static List<TextScore> awaitScores(String prefix, int count) {
        return topics.await(Topics.TEXT_SCORES, count, s -> s.getEventId().startsWith(prefix));
    }

    private static List<DeadLetter> awaitRefusals(int count) {
        return topics.await(
                Topics.DEAD_LETTERS, count, d -> d.getStage().equals("scorer-registry"));
    }
}
