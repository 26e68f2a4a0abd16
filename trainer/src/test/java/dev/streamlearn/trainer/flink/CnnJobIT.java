package dev.streamlearn.trainer.flink;

import static dev.streamlearn.trainer.flink.KafkaTestTopics.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.CnnClassifierSpec;
import dev.streamlearn.models.pipeline.DeclaredModel.PublishPolicy;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.trainer.evaluation.MnistCsv;
import dev.streamlearn.trainer.family.cnn.DecodeImage;
import dev.streamlearn.trainer.training.ModelDefinition;
import dev.streamlearn.trainer.training.TrainingOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * A {@code cnn-classifier} in the Flink job (issue 19 item 2): it learns the labelled digits of its
 * topic, publishes numbered versions that read digits it never saw, and dead-letters an image of
 * another size (naming the size expected) and a record that is no image.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CnnJobIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int DIGITS = 1_500;

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
    void aCnnLearnsDigitsFromItsTopicAndPublishesNumberedVersions() throws Exception {
        // Given MNIST digits on an image topic, one 32x32 image and one record that is no image
        KafkaTrainingIo io = kafka.create("cnn", 2);
        String imageTopic = "cnn-image-events";
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(imageTopic, 2, (short) 1))).all().get();
        }
        List<ImageEvent> digits = MnistCsv.read(8_000);
        List<byte[][]> records = new ArrayList<>();
        for (ImageEvent e : digits.subList(0, DIGITS)) {
            records.add(record(imageTopic, e));
        }
        records.add(
                record(
                        imageTopic,
                        ImageEvent.newBuilder()
                                .setId("too-big")
                                .setEventTime(Instant.EPOCH)
                                .setWidth(32)
                                .setHeight(32)
                                .setChannels(1)
                                .setPixels(ByteBuffer.wrap(new byte[1024]))
                                .setLabel("3")
                                .build()));
        records.add(new byte[][] {utf8("garbage"), utf8("not avro at all")});
        kafka.produce(imageTopic, records);

        // When one job trains the model "digits" on it
        ModelDefinition model =
                new ModelDefinition(
                        "digits",
                        CnnClassifierSpec.defaults().kind(),
                        CnnClassifierSpec.defaults().toMap(),
                        imageTopic,
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
                            TrainingJobIT.reached("digits", DIGITS),
                            WAIT,
                            "versions of digits trained on all " + DIGITS + " digits",
                            TrainingJobIT::describe);
        }

        // Then its versions are numbered 1, 2, 3, ... and the last one reads digits it never saw
        List<ModelVersion> digitVersions = TrainingJobIT.of(versions, "digits");
        TrainingJobIT.assertNumberedOneTwoThree(digitVersions);
        CnnClassifierModel last = new CnnClassifierModel(TrainingJobIT.lastWeights(digitVersions));
        int right = 0;
        for (ImageEvent e : digits.subList(7_600, 8_000)) {
            String predicted =
                    last.predict(28, 28, 1, DecodeImage.pixels(e.getPixels())).predictedLabel();
            if (e.getLabel().equals(predicted)) {
                right++;
            }
        }
        assertThat(right).as("unseen digits classified right of 400").isGreaterThan(320);

        // And the image of another size and the record that is no image are dead-lettered
        List<DeadLetter> dead =
                kafka.awaitCommitted(
                        io.deadLettersTopic(),
                        b -> Topics.DEAD_LETTERS.valueSerde().deserializer().deserialize("d", b),
                        d -> d.size() >= 2,
                        WAIT,
                        "the two unusable records' dead letters",
                        Object::toString);
        assertThat(dead)
                .hasSize(2)
                .allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo(imageTopic));
        assertThat(dead)
                .anySatisfy(
                        d ->
                                assertThat(d.getError())
                                        .isEqualTo(
                                                "image too-big: image of 32x32x1 (width x height x"
                                                        + " channels), expected 28x28x1 (the"
                                                        + " model's size)"));
    }

    private static byte[][] record(String topic, ImageEvent e) {
        return new byte[][] {
            utf8(e.getId()), Topics.IMAGE_EVENTS.valueSerde().serializer().serialize(topic, e)
        };
    }
}
