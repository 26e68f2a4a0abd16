package dev.streamlearn.ingestion.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.ingestion.fuzz.JsonFuzz;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.fuzz.Bounded;
import dev.streamlearn.schemas.serde.ByteBuffers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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
 * Issue 18, fuzzing: the normalizer topology, fed any JSON a client might send on either entry
 * topic (see {@link JsonFuzz}), turns each record into exactly one event or one dead letter whose
 * reason names the topic and keeps the original bytes; nothing escapes the processor, no record
 * takes more than {@link Bounded#PER_CASE}, and a good record right after is still normalized.
 */
class NormalizerFuzzTest {
    private static final Instant RECORD_TIME = Instant.parse("2026-11-28T12:00:00Z");

    private final NormalizerTopology.Counts counts = new NormalizerTopology.Counts();
    private Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> seriesJson;
    private TestInputTopic<byte[], byte[]> textJson;
    private TestOutputTopic<String, SeriesPoint> points;
    private TestOutputTopic<String, TextEvent> texts;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;
    private long goodOnes;

    @BeforeProperty
    void start() throws IOException {
        stateDir = Files.createTempDirectory("normalizer-fuzz");
        driver =
                new TopologyTestDriver(
                        NormalizerTopology.build(counts),
                        NormalizerApp.config("127.0.0.1:9", stateDir));
        ByteArraySerializer bytes = new ByteArraySerializer();
        seriesJson = driver.createInputTopic(Topics.SERIES_POINTS_JSON.name(), bytes, bytes);
        textJson = driver.createInputTopic(Topics.TEXT_EVENTS_JSON.name(), bytes, bytes);
        points = output(Topics.SERIES_POINTS);
        texts = output(Topics.TEXT_EVENTS);
        deadLetters = output(Topics.DEAD_LETTERS);
    }

    @AfterProperty
    void stop() throws IOException {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Property(tries = 10_000)
    void everySeriesRecordBecomesOnePointOrOneDeadLetterAndTheNextGoodOneIsNormalized(
            @ForAll("values") byte[] value, @ForAll("keys") byte[] key) {
        pipe(seriesJson, key, value);

        List<SeriesPoint> normalized = points.readValuesToList();
        List<DeadLetter> refused = deadLetters.readValuesToList();
        assertThat(normalized.size() + refused.size()).as("records out for one in").isEqualTo(1);
        if (refused.isEmpty()) {
            SeriesPoint point = normalized.get(0);
            assertThat(point.getSeriesId()).isNotNull();
            assertThat(Double.isFinite(point.getValue())).isTrue();
            Statistics.label("outcome").collect("normalized");
        } else {
            assertIsTheDeadLetterOf(refused.get(0), Topics.SERIES_POINTS_JSON, key, value);
            Statistics.label("outcome").collect("dead-lettered");
        }
        Statistics.label("outcome")
                .coverage(
                        coverage -> {
                            coverage.check("normalized").percentage(p -> p > 2);
                            coverage.check("dead-lettered").percentage(p -> p > 50);
                        });

        String good = "{\"seriesId\":\"good-" + ++goodOnes + "\",\"value\":1.5}";
        pipe(seriesJson, null, good.getBytes(StandardCharsets.UTF_8));
        assertThat(points.readValuesToList())
                .containsExactly(new SeriesPoint("good-" + goodOnes, RECORD_TIME, 1.5));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Property(tries = 10_000)
    void everyTextRecordBecomesOneEventOrOneDeadLetterAndTheNextGoodOneIsNormalized(
            @ForAll("values") byte[] value, @ForAll("keys") byte[] key) {
        pipe(textJson, key, value);

        List<TextEvent> normalized = texts.readValuesToList();
        List<DeadLetter> refused = deadLetters.readValuesToList();
        assertThat(normalized.size() + refused.size()).as("records out for one in").isEqualTo(1);
        if (refused.isEmpty()) {
            TextEvent event = normalized.get(0);
            assertThat(event.getId()).isNotEmpty();
            assertThat(event.getText()).isNotNull();
            Statistics.label("outcome").collect("normalized");
        } else {
            assertIsTheDeadLetterOf(refused.get(0), Topics.TEXT_EVENTS_JSON, key, value);
            Statistics.label("outcome").collect("dead-lettered");
        }
        Statistics.label("outcome")
                .coverage(
                        coverage -> {
                            coverage.check("normalized").percentage(p -> p > 2);
                            coverage.check("dead-lettered").percentage(p -> p > 50);
                        });

        String good = "{\"id\":\"good-" + ++goodOnes + "\",\"text\":\"still here\"}";
        pipe(textJson, null, good.getBytes(StandardCharsets.UTF_8));
        assertThat(texts.readValuesToList())
                .containsExactly(
                        new TextEvent("good-" + goodOnes, RECORD_TIME, "still here", null));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Provide
    Arbitrary<byte[]> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just((byte[]) null)), Tuple.of(99, JsonFuzz.values()));
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just((byte[]) null)),
                Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(
                        4,
                        Arbitraries.strings()
                                .all()
                                .ofMaxLength(12)
                                .map(k -> k.getBytes(StandardCharsets.UTF_8))));
    }

    private static void assertIsTheDeadLetterOf(
            DeadLetter letter, Topic<?, ?> topic, byte[] key, byte[] value) {
        assertThat(letter.getError()).startsWith(topic.name() + ": ");
        assertThat(letter.getError().length()).isGreaterThan(topic.name().length() + 2);
        assertThat(letter.getStage()).isEqualTo("normalize");
        assertThat(letter.getSourceTopic()).isEqualTo(topic.name());
        assertThat(bytes(letter.getOriginalValue())).isEqualTo(value);
        assertThat(bytes(letter.getOriginalKey())).isEqualTo(key);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        return buffer == null ? null : ByteBuffers.copyOf(buffer);
    }

    /** One record through the topology within the per-case deadline; a thrown exception fails. */
    private static void pipe(TestInputTopic<byte[], byte[]> topic, byte[] key, byte[] value) {
        Bounded.Outcome<Object> outcome =
                Bounded.call(
                        () -> {
                            topic.pipeInput(new TestRecord<>(key, value, RECORD_TIME));
                            return null;
                        });
        assertThat(outcome.failure()).as("what the topology threw").isNull();
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
