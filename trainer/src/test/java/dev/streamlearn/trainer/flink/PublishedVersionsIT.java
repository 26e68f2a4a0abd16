package dev.streamlearn.trainer.flink;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionTrust;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.PublishedVersion;
import dev.streamlearn.trainer.versions.VersionBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The newest committed version per model, read backwards from the end of a real topic. */
class PublishedVersionsIT {
    private static final String TOPIC = Topics.MODEL_VERSIONS.name();

    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0);
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(TOPIC, 1, (short) 1)
                                            .configs(Topics.MODEL_VERSIONS.configs())))
                    .all()
                    .get();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void findsEachModelsNewestCommittedVersionFarBackAndIgnoresAbortedAndOpenOnes()
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            // Given series versions 1-3, then 40 text versions, each in its own transaction (so
            // markers sit between them): series v3 lies far more than one step back from the end
            for (long v = 1; v <= 3; v++) {
                commit(producer, version("series", v));
            }
            for (long v = 1; v <= 40; v++) {
                commit(producer, version("text", v));
            }
            // And text v41 aborted, and text v42 in a transaction still open
            producer.beginTransaction();
            send(producer, version("text", 41));
            producer.abortTransaction();
            producer.beginTransaction();
            send(producer, version("text", 42));
            producer.flush();

            // When the newest versions of series, text and a model never published are read
            Map<String, PublishedVersion> latest =
                    PublishedVersions.latest(
                            broker.bootstrapServers(),
                            List.of("series", "text", "never-published"),
                            VersionTrust.unsignedOnly(),
                            Duration.ofSeconds(20));

            // Then each published model has its newest committed version, with its weights
            assertThat(latest.keySet()).containsExactlyInAnyOrder("series", "text");
            assertThat(latest.get("series").version()).isEqualTo(3);
            assertThat(latest.get("text").version()).isEqualTo(40);
            assertThat(copyOf(latest.get("text").record().getWeights()))
                    .containsExactly(weightsOf("text", 40));
            producer.abortTransaction();
        }
    }

    @Test
    void aNewestDeltaVersionIsContinuedFromTheFullWeightsRebuiltFromTheFullVersionBeforeIt()
            throws Exception {
        // Given a trainer's versions of "delta-text": 1 full, then deltas 2 and 3 (the default)
        ModelSpec spec = Fixtures.smallText(4).modelSpec();
        VersionBuilder builder = new VersionBuilder(null);
        List<ModelWeights> weights = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            for (int n = 1; n <= 3; n++) {
                float[] params = new float[ParameterLayout.of(spec).size()];
                params[n * 17] = n;
                weights.add(new ModelWeights(spec, params));
                commit(
                        producer,
                        builder.next(
                                weights.get(n - 1),
                                new Provenance(
                                        "delta-text",
                                        n,
                                        n - 1,
                                        n,
                                        Map.of(),
                                        List.of(),
                                        Instant.parse("2026-12-05T04:00:00Z"))));
            }
        }

        // When the newest version is read
        PublishedVersion latest =
                PublishedVersions.latest(
                                broker.bootstrapServers(),
                                List.of("delta-text"),
                                VersionTrust.unsignedOnly(),
                                Duration.ofSeconds(20))
                        .get("delta-text");

        // Then it is version 3, a delta, and a learner starts from its full weights
        assertThat(latest.version()).isEqualTo(3);
        assertThat(latest.record().getDeltaOf()).isEqualTo(2L);
        assertThat(latest.startingWeights(spec)).contains(weights.get(2));
        // And without the rebuilt parent it would start afresh, numbered on all the same
        assertThat(new PublishedVersion(latest.record()).startingWeights(spec)).isEmpty();
    }

    @Test
    void continuingLeavesModelsWithoutVersionsAsConfigured() {
        ModelDefinition unpublished =
                ModelDefinition.of("not-on-the-topic", Fixtures.smallText(4).modelSpec());
        List<ModelDefinition> continuing =
                PublishedVersions.continuing(
                        broker.bootstrapServers(),
                        List.of(unpublished),
                        VersionTrust.unsignedOnly(),
                        Duration.ofSeconds(20));
        assertThat(continuing).containsExactly(unpublished);
        assertThat(continuing.get(0).lastPublishedVersion()).isZero();
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "published-versions-it");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MODEL_VERSION_MAX_BYTES);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void commit(KafkaProducer<byte[], byte[]> producer, ModelVersion v) {
        producer.beginTransaction();
        send(producer, v);
        producer.commitTransaction();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, ModelVersion v) {
        byte[] value = Topics.MODEL_VERSIONS.valueSerde().serializer().serialize(TOPIC, v);
        producer.send(new ProducerRecord<>(TOPIC, v.getModel().getBytes(), value));
    }

    /** Stand-in weights: this reader never decodes them, only carries them. */
    private static byte[] weightsOf(String model, long version) {
        return (model + " v" + version).getBytes();
    }

    private static ModelVersion version(String model, long version) {
        return ModelVersion.newBuilder()
                .setModel(model)
                .setKind("text-classifier")
                .setVersion(version)
                .setParentVersion(version > 1 ? version - 1 : null)
                .setSpec(Map.of())
                .setWeights(ByteBuffer.wrap(weightsOf(model, version)))
                .setWeightsSha256("not checked here")
                .setExamplesSeen(version * 10)
                .setMetrics(Map.of())
                .setSourceOffsets(List.of())
                .setCreatedAt(Instant.parse("2026-11-28T12:00:00Z"))
                .build();
    }
}
