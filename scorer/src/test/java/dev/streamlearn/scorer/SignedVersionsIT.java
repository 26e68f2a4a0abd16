package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.version.PublicKeyId;
import dev.streamlearn.models.version.SigningKey;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Issue 18, signed versions, on a real broker: a scorer that trusts the trainer's key refuses a
 * tampered, an unsigned and a stranger's version published to {@code model-versions}, dead-letters
 * each with its reason and counts it, and keeps scoring with the version it serves; the trainer's
 * next signed version then takes over.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SignedVersionsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String MODEL = "text-classifier";
    private static final SigningKey TRAINER = SigningKey.generate();
    private static final SigningKey STRANGER = SigningKey.generate();

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

    @Test
    void tamperedUnsignedAndForeignVersionsAreDeadLetteredWhileScoringGoesOn() throws Exception {
        // Given a scorer that trusts the trainer's key and serves the trainer's version 1
        topics.publish(ModelVersions.text(1, TRAINER));
        ScorerOptions options =
                ScorerOptions.defaults()
                        // Without the gate: the trusted version 5 must serve on arrival.
                        .withDefaultPolicy(ServingPolicy.FOLLOW)
                        .withTrust(VersionTrust.signedBy(PublicKeyId.of(TRAINER.publicKey())));
        try (ScorerApp scorer =
                ScorerApp.start(broker.bootstrapServers(), dir.resolve("state"), null, options)) {
            assertThat(scorer.awaitRunning(WAIT)).as("scorer running").isTrue();
            sendTexts("before-", 20);
            assertThat(awaitScores("before-", 20))
                    .allSatisfy(s -> assertThat(s.getModelVersion()).isEqualTo(1));

            // When versions 2 (signed, then changed), 3 (unsigned) and 4 (a stranger's) arrive
            ModelVersion tampered = ModelVersions.text(2, TRAINER);
            tampered.setExamplesSeen(tampered.getExamplesSeen() * 100);
            topics.publish(tampered);
            topics.publish(ModelVersions.text(3));
            topics.publish(ModelVersions.text(4, STRANGER));

            // Then each is dead-lettered by the registry with its reason, and counted
            List<DeadLetter> refusals = awaitRefusals(3);
            assertThat(refusals)
                    .extracting(DeadLetter::getError)
                    .containsExactly(
                            MODEL
                                    + " version 2: its signature by key "
                                    + TRAINER.keyId()
                                    + " does not match its contents (changed after signing, or"
                                    + " not signed by that key)",
                            MODEL
                                    + " version 3 is unsigned; this reader serves only versions"
                                    + " signed by key "
                                    + TRAINER.keyId(),
                            MODEL
                                    + " version 4 is signed by key "
                                    + STRANGER.keyId()
                                    + ", which this reader does not trust (trusted: key "
                                    + TRAINER.keyId()
                                    + ")");
            assertThat(refusals)
                    .allSatisfy(
                            d -> {
                                assertThat(d.getSourceTopic()).isEqualTo("model-versions");
                                assertThat(d.getOriginalValue().remaining()).isPositive();
                            });
            assertThat(scorer.metrics().versionsUntrusted.sum()).isEqualTo(3);
            assertThat(scorer.metrics().versionsRejected.sum()).isEqualTo(3);

            // And scoring goes on with version 1
            sendTexts("after-", 20);
            assertThat(awaitScores("after-", 20))
                    .allSatisfy(s -> assertThat(s.getModelVersion()).isEqualTo(1));
            assertThat(scorer.registry().orElseThrow().serving(MODEL)).hasValue(1);

            // Until the trainer's next signed version, which takes over
            topics.publish(ModelVersions.text(5, TRAINER));
            Awaitility.await("version 5 accepted")
                    .atMost(WAIT)
                    .until(() -> scorer.metrics().versionsAccepted.sum() == 2);
            sendTexts("next-", 20);
            assertThat(awaitScores("next-", 20))
                    .allSatisfy(s -> assertThat(s.getModelVersion()).isEqualTo(5));
        }
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
