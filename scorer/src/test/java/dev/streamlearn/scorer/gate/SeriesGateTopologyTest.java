package dev.streamlearn.scorer.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.models.gate.GateOptions;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.GateDecision;
import dev.streamlearn.schemas.avro.ModelEvent;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.SeriesScore;
import dev.streamlearn.scorer.ModelVersions;
import dev.streamlearn.scorer.ScorerConfig;
import dev.streamlearn.scorer.ScorerTopology;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promotion gate against the series family's baseline, persistence, driven through the whole
 * scorer topology on a random walk (where persistence is the best forecast there is).
 */
class SeriesGateTopologyTest {
    private static final String MODEL = "lstm-forecaster";
    private static final Instant T0 = Instant.parse("2026-12-05T04:00:00Z");
    private static final int FIRST_LOOK = GateOptions.DEFAULT_MIN_EVENTS;

    @TempDir Path stateDir;
    private final ScorerMetrics metrics = new ScorerMetrics();
    private final LiveRegistry registry =
            new LiveRegistry(ScorerOptions.defaults().emptyRegistry());
    private final Random walk = new Random(17);
    private final List<ModelEvent> seen = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> versions;
    private TestInputTopic<byte[], byte[]> points;
    private TestOutputTopic<String, SeriesScore> scores;
    private TestOutputTopic<String, ModelEvent> decisions;
    private double value = 100;
    private int sent;

    @BeforeEach
    void start() {
        driver =
                new TopologyTestDriver(
                        ScorerTopology.build(
                                ScorerOptions.defaults(), registry, (key, letter) -> {}, metrics),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir));
        ByteArraySerializer bytes = new ByteArraySerializer();
        versions = driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
        points = driver.createInputTopic(Topics.SERIES_POINTS.name(), bytes, bytes);
        scores = output(Topics.SERIES_SCORES);
        decisions = output(Topics.MODEL_EVENTS);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aForecasterNoBetterThanTheServingOneAndBehindPersistenceIsRejectedAgainstPersistence() {
        // Given a serving forecaster that always predicts a rise of two steps, and a candidate
        // with the very same weights
        publish(forecaster(1, 2));
        send(10);
        publish(forecaster(2, 2));

        send(FIRST_LOOK);

        // Then the candidate is rejected against persistence, with persistence's evidence
        ModelEvent rejected = decisionOf(2, GateDecision.REJECTED);
        assertThat(rejected.getAgainst()).isZero();
        assertThat(rejected.getBaseline()).isEqualTo("persistence");
        assertThat(rejected.getEvents()).isEqualTo(FIRST_LOOK);
        assertThat(rejected.getAgainstLoss()).isEqualTo(rejected.getBaselineLoss());
        assertThat(rejected.getCandidateLoss()).isGreaterThan(1.5 * rejected.getBaselineLoss());
        assertThat(rejected.getReason())
                .isEqualTo(
                        "worse than the persistence baseline at 99.0% confidence, and not better"
                                + " than version 1");
        assertThat(servedVersions()).containsOnly(1L);
    }

    @Test
    void aForecasterBetterThanTheServingOneIsPromotedThoughStillBehindPersistence() {
        // Given the same serving forecaster, and a candidate predicting a rise of a fifth of a
        // step: much nearer persistence, not past it
        publish(forecaster(1, 2));
        send(10);
        publish(forecaster(2, 0.2));

        send(FIRST_LOOK);

        ModelEvent promoted = decisionOf(2, GateDecision.PROMOTED);
        assertThat(promoted.getAgainst()).isEqualTo(1);
        assertThat(promoted.getCandidateLoss()).isLessThan(promoted.getAgainstLoss());
        assertThat(promoted.getBaseline()).isEqualTo("persistence");
        assertThat(promoted.getBaselineLoss()).isLessThan(promoted.getAgainstLoss());
        send(1);
        assertThat(servedVersions()).endsWith(2L);
    }

    /**
     * A forecaster whose every forecast is the last value plus {@code change} mean steps: all its
     * weights 0 but the output bias.
     */
    private static ModelVersion forecaster(long version, double change) {
        ParameterLayout layout = ParameterLayout.of(ModelVersions.SERIES_SPEC);
        float[] params = new float[layout.size()];
        params[layout.block("1_b").offset()] = (float) change;
        return VersionContract.build(
                new ModelWeights(ModelVersions.SERIES_SPEC, params),
                new Provenance(
                        MODEL,
                        version,
                        version - 1,
                        version * 100,
                        Map.of(),
                        List.of(),
                        T0.plusSeconds(version)));
    }

    /** The next {@code n} points of one random walk (normal steps). */
    private void send(int n) {
        for (int i = 0; i < n; i++) {
            value += walk.nextGaussian();
            SeriesPoint point = new SeriesPoint("walk", T0.plusSeconds(sent++), value);
            points.pipeInput(
                    "walk".getBytes(),
                    Topics.SERIES_POINTS
                            .valueSerde()
                            .serializer()
                            .serialize(Topics.SERIES_POINTS.name(), point));
        }
    }

    private void publish(ModelVersion version) {
        versions.pipeInput(
                MODEL.getBytes(),
                Topics.MODEL_VERSIONS
                        .valueSerde()
                        .serializer()
                        .serialize(Topics.MODEL_VERSIONS.name(), version));
    }

    private ModelEvent decisionOf(long version, GateDecision kind) {
        seen.addAll(decisions.readValuesToList());
        return seen.stream()
                .filter(d -> d.getVersion() == version && d.getDecision() == kind)
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no " + kind + " of version " + version + "; " + seen));
    }

    private List<Long> servedVersions() {
        return scores.readValuesToList().stream().map(SeriesScore::getModelVersion).toList();
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
