package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.attention.AttentionPrediction;
import dev.streamlearn.models.family.attention.AttentionTextFamily;
import dev.streamlearn.models.family.attention.AttentionTextModel;
import dev.streamlearn.models.family.attention.TokenAttention;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.scorer.family.attention.AttentionScoring;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer serving an {@code attention-text-classifier} (issue 19 item 3) beside the text
 * classifier on the same {@code text-events}, as {@code docs/attention-pipeline.yaml} declares
 * them: each text scored by both into {@code text-scores}, the attention model's score carrying the
 * attention per token; its versions swapped without a pause, pinned and followed again.
 */
class AttentionScoringTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final String MODEL = "spam-attention";
    private static final ModelSpec SPEC =
            ModelSpec.fromMap(
                    AttentionTextFamily.INSTANCE,
                    Map.of(
                            "vocabSize", "1024",
                            "dModel", "8",
                            "heads", "2",
                            "ffSize", "8",
                            "maxTokens", "16",
                            "labels", "ham,spam"));

    /** The example file: the text classifier {@code spam} and this model beside it. */
    private static final Pipeline PIPELINE = readExample();

    private static final String BAG = "spam";

    @TempDir Path stateDir;
    private final ScorerMetrics metrics = new ScorerMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> versions;
    private TestInputTopic<byte[], byte[]> controls;
    private TestInputTopic<byte[], byte[]> texts;
    private TestOutputTopic<String, TextScore> scores;

    @BeforeEach
    void start() {
        ScorerOptions options =
                ScorerOptions.defaults()
                        .withServed(PIPELINE)
                        .withDefaultPolicy(ServingPolicy.FOLLOW);
        driver =
                new TopologyTestDriver(
                        ScorerTopology.build(options, (key, letter) -> {}, metrics),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir));
        ByteArraySerializer bytes = new ByteArraySerializer();
        versions = driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
        controls = driver.createInputTopic(Topics.MODEL_CONTROL.name(), bytes, bytes);
        texts = driver.createInputTopic(Topics.TEXT_EVENTS.name(), bytes, bytes);
        scores = output(Topics.TEXT_SCORES);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aTextIsScoredByBothModelsAndTheAttentionScoreCarriesTheAttentionPerToken()
            throws Exception {
        // Given a version of each model
        ModelVersion v1 = ModelVersions.of(MODEL, SPEC, 1);
        publish(v1);
        publish(ModelVersions.of(BAG, ModelVersions.TEXT_SPEC, 1));

        // When a text arrives
        String text = "Cheap pills, cheap prizes: claim now";
        send(new TextEvent("mail-1", T0, text, "spam"));

        // Then the attention model's score is its kernel's, with the attention of each token
        AttentionPrediction expected =
                new AttentionTextModel(VersionContract.verify(v1).weights()).predict(text);
        List<TextScore> all = scores.readValuesToList();
        assertThat(all).extracting(TextScore::getModel).containsExactlyInAnyOrder(MODEL, BAG);
        TextScore attention =
                all.stream().filter(s -> s.getModel().equals(MODEL)).findFirst().orElseThrow();
        assertThat(attention.getModelVersion()).isEqualTo(1L);
        assertThat(attention.getPredictedLabel()).isEqualTo(expected.label());
        assertThat(attention.getProbabilities().get("spam"))
                .isCloseTo(expected.probabilityOf("spam"), within(1e-12));
        assertThat(attention.getTopTokens()).isEmpty();
        assertThat(attention.getTrueLabel()).isEqualTo("spam");
        assertThat(attention.getAttention())
                .extracting(a -> a.getToken() + "=" + a.getWeight())
                .containsExactlyElementsOf(
                        expected.attention().stream()
                                .map(a -> a.token() + "=" + a.attention())
                                .toList());
        assertThat(attention.getAttention())
                .extracting(a -> a.getToken())
                .containsExactly("cheap", "pills", "prizes", "claim", "now", "^cheap", "now$");
        assertThat(expected.attention().stream().mapToDouble(TokenAttention::attention).sum())
                .isCloseTo(1, within(1e-9));
        TextScore bag =
                all.stream().filter(s -> !s.getModel().equals(MODEL)).findFirst().orElseThrow();
        assertThat(bag.getAttention()).isNull();
        assertThat(bag.getTopTokens()).isNotEmpty();
        assertThat(metrics.textScored.sum()).isEqualTo(2);
    }

    @Test
    void aNewerVersionServesFromTheNextTextAndAPinHoldsAnOlderOne() {
        publish(ModelVersions.of(BAG, ModelVersions.TEXT_SPEC, 1));
        publish(ModelVersions.of(MODEL, SPEC, 1));
        send(new TextEvent("a", T0, "one text", null));
        publish(ModelVersions.of(MODEL, SPEC, 2));
        send(new TextEvent("b", T0, "one text", null));
        control(ControlMode.PIN, 1L);
        publish(ModelVersions.of(MODEL, SPEC, 3));
        send(new TextEvent("c", T0, "one text", null));
        control(ControlMode.FOLLOW_LATEST, null);
        send(new TextEvent("d", T0, "one text", null));

        assertThat(
                        scores.readValuesToList().stream()
                                .filter(s -> s.getModel().equals(MODEL))
                                .map(s -> s.getEventId() + " v" + s.getModelVersion()))
                .containsExactly("a v1", "b v2", "c v1", "d v3");
    }

    @Test
    void textsBeforeItsFirstVersionWaitInAStoreOfItsOwnAndAreScoredWhenItArrives() {
        publish(ModelVersions.of(BAG, ModelVersions.TEXT_SPEC, 1));
        send(new TextEvent("early", T0, "waiting for attention", null));
        assertThat(scores.readValuesToList()).extracting(TextScore::getModel).containsExactly(BAG);
        assertThat(driver.getKeyValueStore(AttentionScoring.PENDING_STORE)).isNotNull();

        publish(ModelVersions.of(MODEL, SPEC, 1));
        send(new TextEvent("next", T0, "now it is here", null));

        assertThat(
                        scores.readValuesToList().stream()
                                .filter(s -> s.getModel().equals(MODEL))
                                .map(TextScore::getEventId))
                .containsExactly("early", "next");
    }

    private static Pipeline readExample() {
        return PipelineFile.read(Path.of("../docs/attention-pipeline.yaml"));
    }

    private void publish(ModelVersion version) {
        versions.pipeInput(
                bytes(version.getModel()),
                Topics.MODEL_VERSIONS.valueSerde().serializer().serialize("v", version));
    }

    private void control(ControlMode mode, Long version) {
        ModelControl control = new ModelControl(MODEL, mode, version, "test", T0);
        controls.pipeInput(
                bytes(MODEL),
                Topics.MODEL_CONTROL.valueSerde().serializer().serialize("model-control", control));
    }

    private void send(TextEvent e) {
        texts.pipeInput(
                bytes(e.getId()),
                Topics.TEXT_EVENTS.valueSerde().serializer().serialize("text-events", e));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
