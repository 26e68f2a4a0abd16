package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.mlp.MlpClassifierModel;
import dev.streamlearn.models.family.mlp.MlpClassifierSpec;
import dev.streamlearn.models.family.mlp.VectorPrediction;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.pipeline.Pipeline;
import dev.streamlearn.models.pipeline.PipelineFile;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.avro.VectorScore;
import dev.streamlearn.scorer.family.mlp.VectorScoring;
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
 * The scorer serving an {@code mlp-classifier} (issue 19 item 1): vectors scored with the serving
 * version, which each score names, swapped for a newer one without a pause, pinned and followed
 * again; a vector the model cannot read dead-lettered with the reason.
 */
class VectorScoringTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final String MODEL = "xor";
    private static final ModelSpec SPEC =
            MlpClassifierSpec.defaults()
                    .with(MlpClassifierSpec.HIDDEN, "4")
                    .with(MlpClassifierSpec.LABELS, "same,different");
    private static final Pipeline PIPELINE =
            PipelineFile.parse(
                    """
                    models:
                      - {name: xor, family: mlp-classifier}
                    """,
                    "test.yaml");

    @TempDir Path stateDir;
    private final ScorerMetrics metrics = new ScorerMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> versions;
    private TestInputTopic<byte[], byte[]> controls;
    private TestInputTopic<byte[], byte[]> vectors;
    private TestOutputTopic<String, VectorScore> scores;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

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
        vectors = driver.createInputTopic(Topics.VECTOR_EVENTS.name(), bytes, bytes);
        scores = output(Topics.VECTOR_SCORES);
        deadLetters = output(Topics.DEAD_LETTERS);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aVectorIsScoredWithTheServingVersionsKernelAndExplained() throws Exception {
        ModelVersion v1 = ModelVersions.of(MODEL, SPEC, 1);
        publish(v1);

        send(new VectorEvent("p-1", T0, List.of(0.9, -1.1), "different"));

        VectorPrediction expected =
                new MlpClassifierModel(VersionContract.verify(v1).weights())
                        .predict(new double[] {0.9, -1.1});
        assertThat(scores.readValuesToList())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.getModel()).isEqualTo(MODEL);
                            assertThat(s.getModelVersion()).isEqualTo(1L);
                            assertThat(s.getPredictedLabel()).isEqualTo(expected.predictedLabel());
                            assertThat(s.getProbabilities().get("same"))
                                    .isCloseTo(expected.probabilities().get("same"), within(1e-12));
                            assertThat(s.getContributions())
                                    .containsExactly(
                                            expected.contributions()[0],
                                            expected.contributions()[1]);
                            assertThat(s.getTrueLabel()).isEqualTo("different");
                        });
        assertThat(metrics.vectorScored.sum()).isEqualTo(1);
    }

    @Test
    void aNewerVersionServesFromTheNextVectorAndAPinHoldsAnOlderOne() {
        publish(ModelVersions.of(MODEL, SPEC, 1));
        send(new VectorEvent("a", T0, List.of(1.0, 1.0), null));
        publish(ModelVersions.of(MODEL, SPEC, 2));
        send(new VectorEvent("b", T0, List.of(1.0, 1.0), null));
        control(ControlMode.PIN, 1L);
        publish(ModelVersions.of(MODEL, SPEC, 3));
        send(new VectorEvent("c", T0, List.of(1.0, 1.0), null));
        control(ControlMode.FOLLOW_LATEST, null);
        send(new VectorEvent("d", T0, List.of(1.0, 1.0), null));

        assertThat(scores.readValuesToList())
                .extracting(s -> s.getEventId() + " v" + s.getModelVersion())
                .containsExactly("a v1", "b v2", "c v1", "d v3");
    }

    @Test
    void vectorsBeforeTheFirstVersionWaitAndAreScoredWhenItArrives() {
        send(new VectorEvent("early", T0, List.of(-1.0, 1.0), null));
        assertThat(scores.isEmpty()).isTrue();
        assertThat(driver.getKeyValueStore(VectorScoring.PENDING_STORE)).isNotNull();

        publish(ModelVersions.of(MODEL, SPEC, 1));
        send(new VectorEvent("next", T0, List.of(-1.0, 1.0), null));

        assertThat(scores.readValuesToList())
                .extracting(VectorScore::getEventId)
                .containsExactly("early", "next");
    }

    @Test
    void aVectorOfTheWrongLengthIsDeadLetteredWithTheReason() {
        publish(ModelVersions.of(MODEL, SPEC, 1));

        send(new VectorEvent("long", T0, List.of(1.0, 2.0, 3.0), null));

        assertThat(scores.isEmpty()).isTrue();
        assertThat(deadLetters.readValuesToList())
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(d.getError())
                                        .isEqualTo(
                                                "vector-events: vector of 3 features, expected 2"
                                                        + " (the model's inputs)"));
    }

    @Test
    void underTheGateAVersionThatSolvesXorIsPromotedOverOneThatInvertsIt() {
        // Given the gated policy, an inverted XOR solver serving, and a true one as candidate
        driver.close();
        driver =
                new TopologyTestDriver(
                        ScorerTopology.build(
                                ScorerOptions.defaults().withServed(PIPELINE),
                                (key, letter) -> {},
                                metrics),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir.resolve("gated")));
        ByteArraySerializer bytes = new ByteArraySerializer();
        versions = driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
        vectors = driver.createInputTopic(Topics.VECTOR_EVENTS.name(), bytes, bytes);
        scores = output(Topics.VECTOR_SCORES);
        publish(xorSolver(1, "different,same"));
        send(new VectorEvent("first", T0, List.of(1.0, 1.0), "same"));
        publish(xorSolver(2, "same,different"));

        // When labelled XOR corners arrive
        double[][] corners = {{1, 1}, {-1, -1}, {1, -1}, {-1, 1}};
        for (int i = 0; i < 120; i++) {
            double[] c = corners[i % 4];
            send(
                    new VectorEvent(
                            "p-" + i,
                            T0,
                            List.of(c[0], c[1]),
                            c[0] == c[1] ? "same" : "different"));
        }

        // Then the candidate is promoted and serves, right on every point from then on
        List<VectorScore> scored = scores.readValuesToList();
        assertThat(scored.get(0).getModelVersion()).isEqualTo(1L);
        VectorScore last = scored.get(scored.size() - 1);
        assertThat(last.getModelVersion()).isEqualTo(2L);
        assertThat(last.getPredictedLabel()).isEqualTo(last.getTrueLabel());
    }

    /**
     * Two tanh units that detect the corners (1, 1) and (-1, -1), and a head that calls either of
     * them the first label: with labels "same,different" it solves XOR, with "different,same" it
     * gets every point wrong.
     */
    private static ModelVersion xorSolver(long version, String labels) {
        ModelSpec spec =
                MlpClassifierSpec.defaults()
                        .with(MlpClassifierSpec.HIDDEN, "2")
                        .with(MlpClassifierSpec.LABELS, labels);
        float[] params = new float[2 * 2 + 2 + 2 * 8 + 8];
        float[] hidden = {3, -3, 3, -3, -3, -3};
        System.arraycopy(hidden, 0, params, 0, hidden.length);
        params[6] = 5; // unit (1, 1) -> first label
        params[6 + 8] = 5; // unit (-1, -1) -> first label
        params[6 + 16] = 5; // first label's bias
        return VersionContract.build(
                new ModelWeights(spec, params),
                new Provenance(MODEL, version, version - 1, version * 8, Map.of(), List.of(), T0));
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

    private void send(VectorEvent e) {
        vectors.pipeInput(
                bytes(e.getId()),
                Topics.VECTOR_EVENTS.valueSerde().serializer().serialize("vector-events", e));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
