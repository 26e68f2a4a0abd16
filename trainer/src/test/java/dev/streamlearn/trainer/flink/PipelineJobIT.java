package dev.streamlearn.trainer.flink;

import static dev.streamlearn.trainer.flink.KafkaTestTopics.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.broker.EmbeddedKafkaBroker;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.pipeline.DeclaredModel.PublishPolicy;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.kafka.KafkaAdmin;
import dev.streamlearn.trainer.learning.Datasets;
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
 * A pipeline's models in one job (issue 15 item 2): two text models on one topic and a third on a
 * topic of its own, each learning only its topic's labelled texts under its own version numbers.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PipelineJobIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int MAIL = 400;
    private static final int TICKETS = 240;

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
    void eachModelLearnsItsOwnTopicUnderItsOwnNumbers() throws Exception {
        // Given mail on the text topic (with one unreadable record) and tickets on a topic of
        // their own, labelled with labels the mail never has
        KafkaTrainingIo io = kafka.create("pipeline", 2);
        String ticketsTopic = "pipeline-support-tickets";
        try (Admin admin = KafkaAdmin.connect(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(ticketsTopic, 2, (short) 1))).all().get();
        }
        List<TextEvent> texts = Datasets.spam(MAIL + TICKETS);
        List<byte[][]> mail = new ArrayList<>();
        for (TextEvent e : texts.subList(0, MAIL)) {
            mail.add(new byte[][] {utf8(e.getId()), TrainingJobIT.encode(io.textTopic(), e)});
        }
        mail.add(new byte[][] {utf8("garbage"), utf8("not avro at all")});
        kafka.produce(io.textTopic(), mail);
        List<byte[][]> tickets = new ArrayList<>();
        for (TextEvent e : texts.subList(MAIL, MAIL + TICKETS)) {
            TextEvent ticket =
                    TextEvent.newBuilder(e)
                            .setLabel(e.getLabel().equals("spam") ? "billing" : "outage")
                            .build();
            tickets.add(new byte[][] {utf8(e.getId()), TrainingJobIT.encode(ticketsTopic, ticket)});
        }
        kafka.produce(ticketsTopic, tickets);

        // When one job trains "spam" and "spam-shadow" on the text topic and "tickets" on its
        // own, "tickets" publishing on a policy of its own
        var small =
                TextClassifierSpec.defaults()
                        .with(TextClassifierSpec.VOCAB_SIZE, 1 << 12)
                        .with(TextClassifierSpec.EMBEDDING_SIZE, 8)
                        .with(TextClassifierSpec.BATCH_SIZE, 8);
        ModelDefinition spam = ModelDefinition.of("spam", small);
        ModelDefinition shadow = ModelDefinition.of("spam-shadow", small);
        ModelDefinition ticketModel =
                new ModelDefinition(
                        "tickets",
                        small.kind(),
                        small.toMap(),
                        ticketsTopic,
                        new PublishPolicy(Duration.ofMillis(500), 2L),
                        null);
        TrainingJob job =
                new TrainingJob(
                        List.of(spam, shadow, ticketModel),
                        TrainingOptions.defaults()
                                .withPublishEveryMiniBatches(10)
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
                            TrainingJobIT.reached("spam", MAIL)
                                    .and(TrainingJobIT.reached("spam-shadow", MAIL))
                                    .and(TrainingJobIT.reached("tickets", TICKETS)),
                            WAIT,
                            "versions of spam and spam-shadow trained on all "
                                    + MAIL
                                    + " mails and of tickets on all "
                                    + TICKETS
                                    + " tickets",
                            TrainingJobIT::describe);
        }

        // Then each model's versions are numbered 1, 2, 3, ... on their own
        for (String model : List.of("spam", "spam-shadow", "tickets")) {
            TrainingJobIT.assertNumberedOneTwoThree(TrainingJobIT.of(versions, model));
        }
        // And tickets learned only the tickets' labels, from its own topic, published more often
        ModelVersion lastTickets = last(TrainingJobIT.of(versions, "tickets"));
        assertThat(
                        TrainingJobIT.lastWeights(TrainingJobIT.of(versions, "tickets"))
                                .spec()
                                .toMap()
                                .get("labels"))
                .contains("billing")
                .contains("outage")
                .doesNotContain("spam");
        assertThat(lastTickets.getSourceOffsets())
                .allSatisfy(o -> assertThat(o.getTopic()).isEqualTo(ticketsTopic));
        // (every 2 of its 30 mini-batches, where the job's every 10 gives spam's 50 about 5)
        assertThat(TrainingJobIT.of(versions, "tickets")).hasSizeGreaterThanOrEqualTo(15);
        assertThat(TrainingJobIT.of(versions, "spam")).hasSizeLessThan(15);
        // And the mail models learned none of the tickets
        assertThat(last(TrainingJobIT.of(versions, "spam")).getSourceOffsets())
                .allSatisfy(o -> assertThat(o.getTopic()).isEqualTo(io.textTopic()));

        // And the unreadable mail, read by two models, is dead-lettered once
        List<DeadLetter> dead =
                kafka.awaitCommitted(
                        io.deadLettersTopic(),
                        b -> Topics.DEAD_LETTERS.valueSerde().deserializer().deserialize("d", b),
                        d -> !d.isEmpty(),
                        WAIT,
                        "the unreadable mail's dead letter",
                        Object::toString);
        assertThat(dead).hasSize(1);
    }

    private static ModelVersion last(List<ModelVersion> versions) {
        return versions.get(versions.size() - 1);
    }
}
