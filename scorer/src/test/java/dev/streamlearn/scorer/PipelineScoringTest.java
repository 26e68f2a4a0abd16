package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer serving a pipeline's models (issue 15 item 2): two text models on {@code text-events}
 * and one on a topic of its own, each scoring with its own versions.
 */
class PipelineScoringTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final String TICKETS = "support-tickets";
    private static final Pipeline PIPELINE =
            PipelineFile.parse(
                    """
                    models:
                      - {name: spam, family: text-classifier}
                      - {name: spam-shadow, family: text-classifier}
                      - {name: tickets, family: text-classifier, topic: support-tickets}
                      - {name: lstm-forecaster, family: lstm-forecaster}
                    """,
                    "test.yaml");

    @TempDir Path stateDir;
    private final List<DeadLetter> refusedVersions = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> versions;
    private TestInputTopic<byte[], byte[]> mail;
    private TestInputTopic<byte[], byte[]> tickets;
    private TestOutputTopic<String, TextScore> scores;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        ScorerOptions options =
                ScorerOptions.defaults()
                        .withServed(PIPELINE)
                        .withDefaultPolicy(ServingPolicy.FOLLOW);
        driver =
                new TopologyTestDriver(
                        ScorerTopology.build(
                                options,
                                (key, letter) -> refusedVersions.add(letter),
                                new ScorerMetrics()),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir));
        ByteArraySerializer bytes = new ByteArraySerializer();
        versions = driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
        mail = driver.createInputTopic(Topics.TEXT_EVENTS.name(), bytes, bytes);
        tickets = driver.createInputTopic(TICKETS, bytes, bytes);
        scores = output(Topics.TEXT_SCORES);
        deadLetters = output(Topics.DEAD_LETTERS);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void eachModelScoresItsOwnTopicWithItsOwnVersions() {
        publish(ModelVersions.of("spam", ModelVersions.TEXT_SPEC, 1));
        publish(ModelVersions.of("spam", ModelVersions.TEXT_SPEC, 2));
        publish(ModelVersions.of("spam-shadow", ModelVersions.TEXT_SPEC, 1));
        publish(ModelVersions.of("tickets", ModelVersions.TEXT_SPEC, 1));

        send(mail, "text-events", new TextEvent("mail-1", T0, "cheap pills now", null));
        send(tickets, TICKETS, new TextEvent("ticket-1", T0, "my invoice is wrong", null));

        assertThat(scores.readValuesToList())
                .extracting(
                        s -> s.getEventId() + " by " + s.getModel() + " v" + s.getModelVersion())
                .containsExactlyInAnyOrder(
                        "mail-1 by spam v2", "mail-1 by spam-shadow v1", "ticket-1 by tickets v1");
    }

    @Test
    void aModelWithoutAVersionYetKeepsItsEventsWhileTheOthersScore() {
        publish(ModelVersions.of("spam", ModelVersions.TEXT_SPEC, 1));
        publish(ModelVersions.of("spam-shadow", ModelVersions.TEXT_SPEC, 1));

        send(tickets, TICKETS, new TextEvent("ticket-1", T0, "the site is down", null));
        send(mail, "text-events", new TextEvent("mail-1", T0, "hello", null));
        assertThat(scores.readValuesToList())
                .extracting(TextScore::getModel)
                .containsExactlyInAnyOrder("spam", "spam-shadow");

        publish(ModelVersions.of("tickets", ModelVersions.TEXT_SPEC, 1));
        send(tickets, TICKETS, new TextEvent("ticket-2", T0, "still down", null));
        assertThat(scores.readValuesToList())
                .extracting(TextScore::getEventId)
                .containsExactly("ticket-1", "ticket-2");
    }

    @Test
    void eachModelHasStoresOfItsOwnAndTheFirstOnItsFamilysTopicKeepsTheOldNames() {
        assertThat(driver.getKeyValueStore(StoreNames.PENDING_TEXT)).isNotNull();
        assertThat(driver.getKeyValueStore(StoreNames.PENDING_TEXT + "-spam-shadow")).isNotNull();
        assertThat(driver.getKeyValueStore(StoreNames.PENDING_TEXT + "-tickets")).isNotNull();
        assertThat(driver.getKeyValueStore(StoreNames.SERIES_TRACKERS)).isNotNull();
    }

    @Test
    void anUnreadableRecordOnAModelsOwnTopicIsDeadLetteredNamingIt() {
        publish(ModelVersions.of("tickets", ModelVersions.TEXT_SPEC, 1));
        tickets.pipeInput(bytes("t"), bytes("not avro"));

        assertThat(deadLetters.readValuesToList())
                .singleElement()
                .satisfies(d -> assertThat(d.getError()).contains(TICKETS));
        assertThat(scores.isEmpty()).isTrue();
    }

    @Test
    void anUnreadableRecordTwoModelsReadIsDeadLetteredOnceAndBothScoreTheNext() {
        publish(ModelVersions.of("spam", ModelVersions.TEXT_SPEC, 1));
        publish(ModelVersions.of("spam-shadow", ModelVersions.TEXT_SPEC, 1));

        mail.pipeInput(bytes("m"), bytes("not avro"));
        send(mail, "text-events", new TextEvent("mail-2", T0, "hello again", null));

        assertThat(deadLetters.readValuesToList())
                .singleElement()
                .satisfies(d -> assertThat(d.getError()).contains("text-events"));
        assertThat(scores.readValuesToList())
                .extracting(TextScore::getModel)
                .containsExactlyInAnyOrder("spam", "spam-shadow");
    }

    private void publish(ModelVersion version) {
        versions.pipeInput(
                bytes(version.getModel()),
                Topics.MODEL_VERSIONS.valueSerde().serializer().serialize("v", version));
    }

    private static void send(TestInputTopic<byte[], byte[]> topic, String name, TextEvent e) {
        topic.pipeInput(
                bytes(e.getId()), Topics.TEXT_EVENTS.valueSerde().serializer().serialize(name, e));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
