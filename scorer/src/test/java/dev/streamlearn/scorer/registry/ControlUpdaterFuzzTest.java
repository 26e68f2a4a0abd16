package dev.streamlearn.scorer.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ControlMode;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.ModelControl;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.avro.TextScore;
import dev.streamlearn.schemas.fuzz.Bounded;
import dev.streamlearn.schemas.fuzz.Mutations;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.ModelVersions;
import dev.streamlearn.scorer.ScorerConfig;
import dev.streamlearn.scorer.ScorerTopology;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Issue 18, fuzzing: {@code model-control} records as the scorer reads them ({@link
 * ControlUpdater}, in the whole scorer topology): any value is either applied, ignored as a
 * tombstone, or refused as a dead letter whose reason names the topic or the pin, carrying the
 * original bytes; nothing escapes the processor, and after a good control the scorer still scores
 * with the version it should.
 */
class ControlUpdaterFuzzTest {
    private static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    private static final String MODEL = "text-classifier";

    private final List<DeadLetter> refused = new ArrayList<>();
    private Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> controls;
    private TestInputTopic<byte[], byte[]> texts;
    private TestOutputTopic<String, TextScore> scores;
    private long events;

    @BeforeProperty
    void start() throws IOException {
        stateDir = Files.createTempDirectory("control-fuzz");
        driver =
                new TopologyTestDriver(
                        ScorerTopology.build(
                                ScorerOptions.defaults(),
                                (key, letter) -> refused.add(letter),
                                new ScorerMetrics()),
                        ScorerConfig.load(null, "127.0.0.1:9", stateDir));
        ByteArraySerializer bytes = new ByteArraySerializer();
        controls = driver.createInputTopic(Topics.MODEL_CONTROL.name(), bytes, bytes);
        texts = driver.createInputTopic(Topics.TEXT_EVENTS.name(), bytes, bytes);
        TestInputTopic<byte[], byte[]> versions =
                driver.createInputTopic(Topics.MODEL_VERSIONS.name(), bytes, bytes);
        for (long version = 1; version <= 2; version++) {
            versions.pipeInput(
                    MODEL.getBytes(StandardCharsets.UTF_8),
                    Topics.MODEL_VERSIONS
                            .valueSerde()
                            .serializer()
                            .serialize("model-versions", ModelVersions.text(version)));
        }
        scores =
                driver.createOutputTopic(
                        Topics.TEXT_SCORES.name(),
                        Topics.TEXT_SCORES.keySerde().deserializer(),
                        Topics.TEXT_SCORES.valueSerde().deserializer());
    }

    @AfterProperty
    void stop() throws IOException {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Property(tries = 10_000)
    void everyControlRecordIsAppliedIgnoredOrRefusedAndAGoodOneAfterItStillServes(
            @ForAll("keys") byte[] key, @ForAll("values") byte[] value) {
        refused.clear();

        pipe(controls, key, value);

        ModelControl decoded = decodeOrNull(value);
        if (refused.isEmpty()) {
            boolean tombstone = value == null;
            assertThat(tombstone || isValid(decoded))
                    .as("only a readable control with a valid pin is applied: %s", decoded)
                    .isTrue();
            Statistics.label("outcome").collect(tombstone ? "tombstone" : "applied");
        } else {
            assertThat(refused).hasSize(1);
            DeadLetter letter = refused.get(0);
            assertThat(decoded == null || !isValid(decoded)).isTrue();
            assertThat(letter.getStage()).isEqualTo("scorer-control");
            assertThat(letter.getSourceTopic()).isEqualTo(Topics.MODEL_CONTROL.name());
            assertThat(letter.getError()).containsAnyOf("topic model-control", "model-control for");
            assertThat(ByteBuffers.copyOf(letter.getOriginalValue())).isEqualTo(value);
            Statistics.label("outcome").collect("dead-lettered");
        }
        Statistics.label("outcome")
                .coverage(
                        coverage -> {
                            coverage.check("applied").percentage(p -> p > 5);
                            coverage.check("dead-lettered").percentage(p -> p > 30);
                        });

        pin(1);
        assertThat(scoreOneText()).as("the version serving after pinning 1").isEqualTo(1);
        assertThat(refused).hasSizeLessThanOrEqualTo(1);
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.oneOf(
                Arbitraries.just(MODEL.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.just((byte[]) null),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16));
    }

    /** Controls of any content, damaged encodings of real ones, tombstones and stray bytes. */
    @Provide
    Arbitrary<byte[]> values() {
        Arbitrary<ModelControl> controls =
                Combinators.combine(
                                Arbitraries.oneOf(
                                        Arbitraries.of(MODEL, "lstm-forecaster", ""),
                                        Arbitraries.strings().all().ofMaxLength(16)),
                                Arbitraries.of(ControlMode.class),
                                Arbitraries.oneOf(
                                        Arbitraries.of(
                                                null,
                                                0L,
                                                -1L,
                                                1L,
                                                2L,
                                                3L,
                                                Long.MAX_VALUE,
                                                Long.MIN_VALUE),
                                        Arbitraries.longs()),
                                Arbitraries.strings().all().ofMaxLength(16),
                                Arbitraries.longs().map(Instant::ofEpochMilli))
                        .as(ModelControl::new);
        Arbitrary<byte[]> encoded = controls.map(ControlUpdaterFuzzTest::encode);
        Arbitrary<byte[]> damaged =
                Arbitraries.of(
                                new ModelControl(MODEL, ControlMode.PIN, 2L, "roll back", T0),
                                new ModelControl(MODEL, ControlMode.FOLLOW_LATEST, null, "", T0))
                        .map(ControlUpdaterFuzzTest::encode)
                        .flatMap(Mutations::of);
        return Arbitraries.frequencyOf(
                Tuple.of(4, encoded),
                Tuple.of(5, damaged),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(40)),
                Tuple.of(1, Arbitraries.just((byte[]) null)));
    }

    private void pin(long version) {
        pipe(
                controls,
                MODEL.getBytes(StandardCharsets.UTF_8),
                encode(new ModelControl(MODEL, ControlMode.PIN, version, "fuzz", T0)));
    }

    private long scoreOneText() {
        String id = "event-" + ++events;
        pipe(
                texts,
                id.getBytes(StandardCharsets.UTF_8),
                Topics.TEXT_EVENTS
                        .valueSerde()
                        .serializer()
                        .serialize("text-events", new TextEvent(id, T0, "cheap loans", null)));
        List<TextScore> out = scores.readValuesToList();
        assertThat(out).hasSize(1);
        return out.get(0).getModelVersion();
    }

    private static boolean isValid(ModelControl control) {
        return control != null
                && (control.getMode() != ControlMode.PIN
                        || (control.getPinnedVersion() != null && control.getPinnedVersion() >= 1));
    }

    private static ModelControl decodeOrNull(byte[] value) {
        try {
            return Topics.MODEL_CONTROL
                    .valueSerde()
                    .deserializer()
                    .deserialize("model-control", value);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static byte[] encode(ModelControl control) {
        return Topics.MODEL_CONTROL.valueSerde().serializer().serialize("model-control", control);
    }

    private static void pipe(TestInputTopic<byte[], byte[]> topic, byte[] key, byte[] value) {
        Bounded.Outcome<Object> outcome =
                Bounded.call(
                        () -> {
                            topic.pipeInput(new TestRecord<>(key, value, T0));
                            return null;
                        });
        assertThat(outcome.failure()).as("what the topology threw").isNull();
    }
}
