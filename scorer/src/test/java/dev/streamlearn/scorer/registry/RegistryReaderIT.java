package dev.streamlearn.scorer.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.schemas.kafka.TopicInstaller;
import dev.streamlearn.scorer.ModelVersions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry read back from the topics' tails holds what every scorer holds: per model the last K
 * versions the scorer's rule accepts (a stale number and a corrupt version are not among them, an
 * unreadable record is skipped), and the pin.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RegistryReaderIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBrokerAndPublish() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0);
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            new TopicInstaller(admin).install(Topics.all());
        }
        // Given text versions 1..7 interleaved with series versions 1..3, then a replayed text
        // version 4 (stale: not above 7), a corrupt text version 8, and bytes that are no version
        for (long v = 1; v <= 7; v++) {
            publish(ModelVersions.text(v));
            if (v <= 3) {
                publish(ModelVersions.series(v));
            }
        }
        publish(ModelVersions.text(4));
        publish(ModelVersions.corrupted(ModelVersions.text(8)));
        publishBytes("text-classifier", "not a version".getBytes(StandardCharsets.UTF_8));
        ModelControls.pin(broker.bootstrapServers(), "lstm-forecaster", 2, "a test pins");
        // and the promotion gate's decisions: text version 6 promoted, then 7 over it
        decide(6, 0);
        decide(7, 6);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void everyModelHoldsItsNewestKAcceptedVersionsItsPinAndItsPromotedVersion() {
        RegistryState state =
                RegistryReader.readAll(
                        broker.bootstrapServers(), 5, VersionTrust.unsignedOnly(), WAIT);

        assertThat(state.model("text-classifier").orElseThrow().heldVersions())
                .containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(state.serving("text-classifier")).as("promoted by the gate").hasValue(7);
        assertThat(state.model("text-classifier").orElseThrow().previous()).hasValue(6);
        assertThat(state.model("lstm-forecaster").orElseThrow().heldVersions())
                .containsExactly(1L, 2L, 3L);
        assertThat(state.serving("lstm-forecaster")).as("pinned and held").hasValue(2);
    }

    @Test
    void oneModelIsReadAloneAndAgreesWithTheWholeRegistry() {
        RegistryState one =
                RegistryReader.readModel(
                        broker.bootstrapServers(),
                        "text-classifier",
                        2,
                        VersionTrust.unsignedOnly(),
                        WAIT);

        assertThat(one.models()).containsOnlyKeys("text-classifier");
        assertThat(one.model("text-classifier").orElseThrow().heldVersions())
                .containsExactly(6L, 7L);
    }

    private static void decide(long version, long against) throws Exception {
        ModelEvent event =
                ModelEvent.newBuilder()
                        .setModel("text-classifier")
                        .setVersion(version)
                        .setDecision(GateDecision.PROMOTED)
                        .setAgainst(against)
                        .setReason("a test promotes")
                        .setAt(Instant.now())
                        .build();
        send(
                Topics.MODEL_EVENTS.name(),
                "text-classifier",
                Topics.MODEL_EVENTS
                        .valueSerde()
                        .serializer()
                        .serialize(Topics.MODEL_EVENTS.name(), event));
    }

    private static void publish(ModelVersion version) throws Exception {
        publishBytes(
                version.getModel(),
                Topics.MODEL_VERSIONS
                        .valueSerde()
                        .serializer()
                        .serialize(Topics.MODEL_VERSIONS.name(), version));
    }

    private static void publishBytes(String model, byte[] value) throws Exception {
        send(Topics.MODEL_VERSIONS.name(), model, value);
    }

    private static void send(String topic, String model, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers(),
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                Topics.MODEL_VERSION_MAX_BYTES),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    topic, model.getBytes(StandardCharsets.UTF_8), value))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
