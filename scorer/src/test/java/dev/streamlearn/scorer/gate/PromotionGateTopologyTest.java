package dev.streamlearn.scorer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.gate.GateOptions;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.scorer.ScorerConfig;
import dev.streamlearn.scorer.ScorerTopology;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promotion gate's decisions (issue 17), driven through the whole scorer topology: labelled
 * texts go round through {@code gate-events} to the gate, its decisions come back through {@code
 * model-events} into the registry every scoring processor serves from.
 */
class PromotionGateTopologyTest {
    private static final Instant AT = Instant.parse("2026-12-05T02:00:00Z");
    private static final int FIRST_LOOK = GateOptions.DEFAULT_MIN_EVENTS;

    @TempDir Path stateDir;
    private final ScorerMetrics metrics = new ScorerMetrics();
    private final LiveRegistry registry =
            new LiveRegistry(ScorerOptions.defaults().emptyRegistry());
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> versions;
    private TestInputTopic<byte[], byte[]> controls;
    private TestInputTopic<byte[], byte[]> texts;
    private TestOutputTopic<String, TextScore> scores;
    private TestOutputTopic<String, ModelEvent> decisions;
    private int sent;

    private void start(ScorerOptions options) {
        driver =
                new TopologyTestDriver(
                        ScorerTopology.build(options, registry, (key, letter) -> {}, metrics),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir));
        ByteArraySerializer bytes = new ByteArraySerializer();
        versions = driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
        controls = driver.createInputTopic(Topics.MODEL_CONTROL.name(), bytes, bytes);
        texts = driver.createInputTopic(Topics.TEXT_EVENTS.name(), bytes, bytes);
        scores = output(Topics.TEXT_SCORES);
        decisions = output(Topics.MODEL_EVENTS);
    }

    private void start() {
        start(ScorerOptions.defaults());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void aModelsFirstVersionServesAtOnceAndIsRecordedAsPromoted() {
        start();
        publish(GateVersions.good(1, 3));

        sendLabelled(1, "prize");

        assertThat(scores.readValuesToList())
                .extracting(TextScore::getModelVersion)
                .containsOnly(1L);
        ModelEvent first = decisions.readValue();
        assertThat(first.getDecision()).isEqualTo(GateDecision.PROMOTED);
        assertThat(first.getVersion()).isEqualTo(1);
        assertThat(first.getAgainst()).isZero();
        assertThat(first.getReason()).contains("first version");
        assertThat(registry.state().model(GateVersions.MODEL).orElseThrow().promoted()).hasValue(1);
    }

    @Test
    void aCandidateNotWorseIsPromotedAtTheFirstLookAndServesFromTheNextEvent() {
        start();
        publish(GateVersions.good(1, 3));
        sendLabelled(1, "prize");
        publish(GateVersions.good(2, 3.5));

        sendLabelled(FIRST_LOOK - 1, "prize", "meeting");
        assertThat(promotionsOf(2)).as("no look before the first").isEmpty();
        sendLabelled(1, "meeting");

        ModelEvent promoted = promotionsOf(2).get(0);
        assertThat(promoted.getAgainst()).isEqualTo(1);
        assertThat(promoted.getEvents()).isEqualTo(FIRST_LOOK);
        assertThat(promoted.getCandidateLoss()).isLessThan(promoted.getAgainstLoss());
        assertThat(promoted.getDifferenceBound()).isLessThanOrEqualTo(promoted.getMargin());
        assertThat(promoted.getConfidence()).isEqualTo(0.99);
        List<Long> served = servedVersions();
        assertThat(served.subList(0, FIRST_LOOK + 1)).containsOnly(1L);

        sendLabelled(1, "prize");
        assertThat(servedVersions()).containsExactly(2L);
        assertThat(metrics.gatePromoted.sum()).isEqualTo(2);
    }

    @Test
    void aLabelFlippedVersionIsRejectedWithItsEvidenceAndScoresNothing() {
        start();
        publish(GateVersions.good(1, 3));
        publish(GateVersions.flipped(2));

        sendLabelled(100, "prize", "meeting");
        sendUnlabelled(10, "prize");

        ModelEvent rejected = decisionOf(2, GateDecision.REJECTED);
        assertThat(rejected.getAgainst()).isEqualTo(1);
        assertThat(rejected.getEvents()).isEqualTo(FIRST_LOOK);
        assertThat(rejected.getDifferenceBound()).isGreaterThan(rejected.getMargin());
        assertThat(rejected.getReason()).contains("worse than version 1");
        assertThat(servedVersions()).hasSize(110).containsOnly(1L);
        assertThat(registry.state().model(GateVersions.MODEL).orElseThrow().rejected())
                .containsExactly(2L);
        assertThat(registry.state().model(GateVersions.MODEL).orElseThrow().candidate()).isEmpty();
    }

    @Test
    void aNewerVersionWaitsUntilTheCandidateHasHadItsFirstLook() {
        start();
        publish(GateVersions.good(1, 3));
        publish(GateVersions.good(2, 3.2));
        sendLabelled(FIRST_LOOK / 2, "prize", "meeting");

        publish(GateVersions.good(3, 3.4));
        sendLabelled(FIRST_LOOK / 2, "prize", "meeting");
        assertThat(decisionOf(2, GateDecision.PROMOTED).getEvents()).isEqualTo(FIRST_LOOK);
        sendLabelled(FIRST_LOOK, "prize", "meeting");

        assertThat(decisionOf(3, GateDecision.PROMOTED).getAgainst()).isEqualTo(2);
        assertThat(allDecisions()).noneMatch(d -> d.getDecision() == GateDecision.SUPERSEDED);
    }

    @Test
    void aServingVersionThatBecomesWorseThanTheOneBeforeIsRolledBack() {
        start();
        // Version 2 reads "prize" as well as version 1 but "meeting" the wrong way round: on a
        // stream of prize texts it is promoted, and when meeting texts come it degrades.
        publish(GateVersions.good(1, 3));
        publish(GateVersions.text(2, 3.2, -3));
        sendLabelled(100, "prize");
        assertThat(decisionOf(2, GateDecision.PROMOTED).getAgainst()).isEqualTo(1);

        int before = sent;
        sendLabelled(1_000, "meeting");

        ModelEvent rollback = decisionOf(1, GateDecision.ROLLED_BACK);
        assertThat(rollback.getAgainst()).isEqualTo(2);
        assertThat(rollback.getReason()).contains("version 2 became worse than version 1");
        List<Long> served = servedVersions();
        int rolledBackAfter = served.subList(101, served.size()).indexOf(1L) + 1;
        assertThat(rolledBackAfter).isBetween(1, 1_000);
        assertThat(served.get(served.size() - 1)).isEqualTo(1L);
        assertThat(sent - before).isEqualTo(1_000);
        assertThat(registry.state().model(GateVersions.MODEL).orElseThrow().rejected())
                .contains(2L);
    }

    @Test
    void underFollowEveryNewVersionServesAtOnceAndTheGateStaysOut() {
        start();
        publish(GateVersions.good(1, 3));
        controls.pipeInput(
                GateVersions.MODEL.getBytes(),
                serialize(
                        Topics.MODEL_CONTROL,
                        new ModelControl(
                                GateVersions.MODEL,
                                ControlMode.FOLLOW_LATEST,
                                null,
                                "no gate",
                                AT)));
        publish(GateVersions.flipped(2));

        sendLabelled(100, "prize");

        assertThat(servedVersions()).containsOnly(2L);
        assertThat(decisions.isEmpty()).isTrue();
        assertThat(registry.state().policy(GateVersions.MODEL)).isEqualTo(ServingPolicy.FOLLOW);
    }

    @Test
    void aPinWinsOverTheGate() {
        start();
        publish(GateVersions.good(1, 3));
        publish(GateVersions.good(2, 3.5));
        controls.pipeInput(
                GateVersions.MODEL.getBytes(),
                serialize(
                        Topics.MODEL_CONTROL,
                        new ModelControl(GateVersions.MODEL, ControlMode.PIN, 2L, "hold", AT)));

        sendLabelled(10, "prize");

        assertThat(servedVersions()).containsOnly(2L);
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void aCandidateIndistinguishableOnTheBaselinesScaleIsPromotedAtTheFirstLook() {
        // Given a serving version sure of both words and a candidate a little less sure: its
        // cross-entropy is ~15% above the serving version's, ~1% of the majority class's
        start();
        publish(GateVersions.good(1, 13));
        sendLabelled(1, "prize");
        publish(GateVersions.good(2, 12));

        sendLabelled(FIRST_LOOK, "prize", "meeting");

        // Then it is promoted at the first look, with the baseline's evidence
        ModelEvent promoted = decisionOf(2, GateDecision.PROMOTED);
        assertThat(promoted.getEvents()).isEqualTo(FIRST_LOOK);
        assertThat(promoted.getCandidateLoss()).isGreaterThan(promoted.getAgainstLoss() * 1.1);
        assertThat(promoted.getBaseline()).isEqualTo("majority class");
        assertThat(promoted.getBaselineLoss()).isBetween(0.6, 0.75);
        assertThat(promoted.getMargin()).isEqualTo(0.02 * promoted.getBaselineLoss());
        sendLabelled(1, "prize");
        assertThat(servedVersions()).endsWith(2L);
    }

    @Test
    void withoutTheBaselinesScaleTheSameCandidateIsRejected() {
        // The gate as first built: a margin of 5% of the serving version's loss only
        start(
                ScorerOptions.defaults()
                        .withGate(
                                new GateOptions(FIRST_LOOK, 1_600, 0.05, 0.99, 0),
                                new GateOptions(100, 400, 0.05, 0.99, 0)));
        publish(GateVersions.good(1, 13));
        sendLabelled(1, "prize");
        publish(GateVersions.good(2, 12));

        sendLabelled(FIRST_LOOK, "prize", "meeting");

        ModelEvent rejected = decisionOf(2, GateDecision.REJECTED);
        assertThat(rejected.getReason()).startsWith("worse than version 1 by more than 5.00%");
        assertThat(servedVersions()).containsOnly(1L);
    }

    @Test
    void aCandidateWorseThanTheMajorityClassIsRejectedWithThatEvidence() {
        // Given 19 ham texts to each spam one, a serving version that has learnt next to nothing
        // (it gives either label about even odds), and a candidate that has learnt no more
        start();
        String[] mix = new String[20];
        java.util.Arrays.fill(mix, "meeting");
        mix[19] = "prize";
        publish(GateVersions.good(1, 0.1));
        sendLabelled(100, mix);
        publish(GateVersions.good(2, 0.08));

        sendLabelled(FIRST_LOOK, mix);

        // Then it is rejected against the majority class, the evidence the baseline's
        ModelEvent rejected = decisionOf(2, GateDecision.REJECTED);
        assertThat(rejected.getAgainst()).isZero();
        assertThat(rejected.getBaseline()).isEqualTo("majority class");
        assertThat(rejected.getEvents()).isEqualTo(FIRST_LOOK);
        assertThat(rejected.getAgainstLoss()).isEqualTo(rejected.getBaselineLoss());
        assertThat(rejected.getCandidateLoss()).isGreaterThan(rejected.getBaselineLoss());
        assertThat(rejected.getDifferenceBound()).isGreaterThan(0);
        assertThat(rejected.getReason())
                .isEqualTo(
                        "worse than the majority class baseline at 99.0% confidence, and not"
                                + " better than version 1");
        assertThat(servedVersions()).containsOnly(1L);
        assertThat(registry.state().model(GateVersions.MODEL).orElseThrow().rejected())
                .containsExactly(2L);
        assertThat(metrics.gateRejected.sum()).isEqualTo(1);
    }

    private List<ModelEvent> promotionsOf(long version) {
        return allDecisions().stream()
                .filter(d -> d.getVersion() == version && d.getDecision() == GateDecision.PROMOTED)
                .toList();
    }

    private ModelEvent decisionOf(long version, GateDecision kind) {
        return allDecisions().stream()
                .filter(d -> d.getVersion() == version && d.getDecision() == kind)
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no "
                                                + kind
                                                + " of version "
                                                + version
                                                + "; decisions: "
                                                + seen));
    }

    private final java.util.List<ModelEvent> seen = new java.util.ArrayList<>();

    private List<ModelEvent> allDecisions() {
        seen.addAll(decisions.readValuesToList());
        return seen;
    }

    private List<Long> servedVersions() {
        return scores.readValuesToList().stream().map(TextScore::getModelVersion).toList();
    }

    private void publish(ModelVersion version) {
        versions.pipeInput(
                version.getModel().getBytes(), serialize(Topics.MODEL_VERSIONS, version));
    }

    /** {@code n} labelled texts, cycling through the words, each labelled as the word means. */
    private void sendLabelled(int n, String... words) {
        for (int i = 0; i < n; i++) {
            String word = words[i % words.length];
            send(word, word.equals("prize") ? "spam" : "ham");
        }
    }

    private void sendUnlabelled(int n, String word) {
        for (int i = 0; i < n; i++) {
            send(word, null);
        }
    }

    private void send(String word, String label) {
        String id = "t-" + sent++;
        texts.pipeInput(
                id.getBytes(),
                serialize(Topics.TEXT_EVENTS, new TextEvent(id, AT, "a " + word, label)));
    }

    private static <V> byte[] serialize(Topic<String, V> topic, V value) {
        return topic.valueSerde().serializer().serialize(topic.name(), value);
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
