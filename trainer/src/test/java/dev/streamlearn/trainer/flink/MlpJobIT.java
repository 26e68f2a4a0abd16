package dev.streamlearn.trainer.flink;

import static dev.streamlearn.trainer.flink.KafkaTestTopics.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.ingestion.generate.SyntheticXor;
import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.pipeline.DeclaredModel.PublishPolicy;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.trainer.family.mlp.DecodeVector;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code mlp-classifier} in the Flink job (issue 19 item 1): it learns the labelled vectors of
 * its topic, publishes numbered versions whose weights solve XOR, and dead-letters a record that is
 * no vector.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MlpJobIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int POINTS = 3_000;

    @TempDir static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static KafkaTestTopics kafka;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0);
        kafka = new KafkaTestTopics(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anMlpLearnsXorFromItsTopicAndPublishesNumberedVersions() throws Exception {
        // Given noisy XOR points on a vector topic, and one record that is not a vector
        KafkaTrainingIo io = kafka.create("mlp", 2);
        String vectorTopic = "mlp-vector-events";
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(vectorTopic, 2, (short) 1))).all().get();
        }
        List<byte[][]> records = new ArrayList<>();
        SyntheticXor xor = new SyntheticXor(1, POINTS, 0.3);
        while (xor.hasNext()) {
            VectorEvent e = xor.next();
            records.add(
                    new byte[][] {
                        utf8(e.getId()),
                        Topics.VECTOR_EVENTS.valueSerde().serializer().serialize(vectorTopic, e)
                    });
        }
        records.add(new byte[][] {utf8("garbage"), utf8("not avro at all")});
        kafka.produce(vectorTopic, records);

        // When one job trains the model "xor" on it
        ModelDefinition model =
                new ModelDefinition(
                        "xor",
                        MlpClassifierSpec.defaults().kind(),
                        MlpClassifierSpec.defaults().toMap(),
                        vectorTopic,
                        new PublishPolicy(Duration.ofMillis(500), 20L),
                        null);
        TrainingJob job =
                new TrainingJob(
                        List.of(model),
                        TrainingOptions.defaults()
                                .withPublishEveryMiniBatches(20)
                                .withPublishInterval(Duration.ofSeconds(1))
                                .withMaxBatchSize(8));
        List<ModelVersion> versions;
        try (TrainingJobHandle handle =
                TrainingJobRunner.start(
                        job, io, dir.resolve("checkpoints"), TrainingJobIT.fastCheckpoints())) {
            versions =
                    kafka.awaitCommitted(
                            io.versionsTopic(),
                            TrainingJobIT::version,
                            TrainingJobIT.reached("xor", POINTS),
                            WAIT,
                            "versions of xor trained on all " + POINTS + " points",
                            TrainingJobIT::describe);
        }

        // Then its versions are numbered 1, 2, 3, ... and the last one solves XOR
        List<ModelVersion> xorVersions = TrainingJobIT.of(versions, "xor");
        TrainingJobIT.assertNumberedOneTwoThree(xorVersions);
        MlpClassifierModel last = new MlpClassifierModel(TrainingJobIT.lastWeights(xorVersions));
        SyntheticXor fresh = new SyntheticXor(99, 400, 0.3);
        int right = 0;
        while (fresh.hasNext()) {
            VectorEvent e = fresh.next();
            if (last.predict(DecodeVector.features(e.getFeatures()))
                    .predictedLabel()
                    .equals(e.getLabel())) {
                right++;
            }
        }
        assertThat(right).as("fresh XOR points classified right of 400").isGreaterThan(380);

        // And the record that is no vector is dead-lettered
        List<DeadLetter> dead =
                kafka.awaitCommitted(
                        io.deadLettersTopic(),
                        b -> Topics.DEAD_LETTERS.valueSerde().deserializer().deserialize("d", b),
                        d -> !d.isEmpty(),
                        WAIT,
                        "the unreadable record's dead letter",
                        Object::toString);
        assertThat(dead)
                .singleElement()
                .satisfies(d -> assertThat(d.getSourceTopic()).isEqualTo(vectorTopic));
    }
}
