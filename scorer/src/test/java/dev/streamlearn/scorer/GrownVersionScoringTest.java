package dev.streamlearn.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamlearn.models.family.text.LabelGrowth;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import dev.streamlearn.models.version.Provenance;
import dev.streamlearn.models.version.VersionContract;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels that grow (issue 16), as the scorer sees them: the next version of a text classifier may
 * be of a larger shape (more output slots, more labels), and a running scorer serves it from the
 * very next event, with the learned labels scored exactly as before relative to each other.
 */
class GrownVersionScoringTest {
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    private static final List<String> EIGHT = List.of("a", "b", "c", "d", "e", "f", "g", "h");

    @TempDir Path stateDir;

    @Test
    void aVersionOfMoreSlotsServesTheNextEventAndKeepsTheLearnedLabelsOdds() {
        // Given a running scorer serving version 1: 8 slots, all taken
        ModelSpec full =
                ModelVersions.TEXT_SPEC
                        .with(TextClassifierSpec.MAX_LABELS, 8)
                        .with(TextClassifierSpec.LABELS, String.join(",", EIGHT));
        ModelWeights before = randomWeights(full);
        // And version 2: the same model grown to 16 slots for a ninth label
        ModelWeights grown = LabelGrowth.grow(before, 16);
        ModelWeights after =
                new ModelWeights(TextClassifierSpec.withLabel(grown.spec(), "i"), grown.params());
        try (TopologyTestDriver driver =
                new TopologyTestDriver(
                        ScorerTopology.build(
                                // Following the latest: the grown version serves without the gate.
                                ScorerOptions.defaults().withDefaultPolicy(ServingPolicy.FOLLOW),
                                (key, letter) -> {},
                                new ScorerMetrics()),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir))) {
            ByteArraySerializer bytes = new ByteArraySerializer();
            TestInputTopic<byte[], byte[]> versions =
                    driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
            TestInputTopic<byte[], byte[]> texts =
                    driver.createInputTopic(Topics.TEXT_EVENTS.name(), bytes, bytes);
            TestOutputTopic<String, TextScore> scores =
                    driver.createOutputTopic(
                            Topics.TEXT_SCORES.name(),
                            Topics.TEXT_SCORES.keySerde().deserializer(),
                            Topics.TEXT_SCORES.valueSerde().deserializer());
            publish(versions, version(before, 1));
            send(texts, "one", "cheap loans for everyone");

            // When version 2 arrives and the same text comes again
            publish(versions, version(after, 2));
            send(texts, "two", "cheap loans for everyone");

            // Then it is scored with version 2 over 9 labels
            List<TextScore> scored = scores.readValuesToList();
            assertThat(scored).extracting(TextScore::getModelVersion).containsExactly(1L, 2L);
            Map<String, Double> first = scored.get(0).getProbabilities();
            Map<String, Double> second = scored.get(1).getProbabilities();
            assertThat(first).hasSize(8);
            assertThat(second).hasSize(9).containsKey("i");
            // And the learned labels keep their odds: their logits did not change
            for (String label : EIGHT) {
                assertThat(second.get(label) / second.get("a"))
                        .as(label + " against a")
                        .isCloseTo(first.get(label) / first.get("a"), within(1e-5));
            }
        }
    }

    private static ModelWeights randomWeights(ModelSpec spec) {
        float[] params = new float[ParameterLayout.of(spec).size()];
        Random random = new Random(16);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.2);
        }
        return new ModelWeights(spec, params);
    }

    private static ModelVersion version(ModelWeights weights, long number) {
        return VersionContract.build(
                weights,
                new Provenance(
                        "text-classifier",
                        number,
                        number - 1,
                        number * 8,
                        Map.of(),
                        List.of(),
                        T0.plusSeconds(number)));
    }

    private static void publish(TestInputTopic<byte[], byte[]> versions, ModelVersion version) {
        versions.pipeInput(
                version.getModel().getBytes(StandardCharsets.UTF_8),
                Topics.MODEL_VERSIONS
                        .valueSerde()
                        .serializer()
                        .serialize("model-versions", version));
    }

    private static void send(TestInputTopic<byte[], byte[]> texts, String id, String text) {
        texts.pipeInput(
                id.getBytes(StandardCharsets.UTF_8),
                Topics.TEXT_EVENTS
                        .valueSerde()
                        .serializer()
                        .serialize("text-events", new TextEvent(id, T0, text, null)));
    }
}
