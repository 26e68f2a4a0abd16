package dev.streamlearn.ingestion.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.VectorEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code vector-events-json} shape: {@code {"id"?, "features", "label"?, "eventTime"?}}. */
class VectorNormalizerTest {
    private static final Instant RECORD_TIME = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir Path stateDir;
    private final NormalizerTopology.Counts counts = new NormalizerTopology.Counts();
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> json;
    private TestOutputTopic<String, VectorEvent> vectors;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        driver =
                new TopologyTestDriver(
                        NormalizerTopology.build(counts),
                        NormalizerApp.config("127.0.0.1:9", stateDir));
        StringSerializer strings = new StringSerializer();
        json = driver.createInputTopic(Topics.VECTOR_EVENTS_JSON.name(), strings, strings);
        vectors = output(Topics.VECTOR_EVENTS);
        deadLetters = output(Topics.DEAD_LETTERS);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aVectorInJsonBecomesAvroKeyedByIdOrTheRecordKey() {
        json.pipeInput(
                "p-1",
                "{\"features\":[0.9,-1.1],\"label\":\"different\",\"source\":\"kcat\"}",
                RECORD_TIME);
        json.pipeInput(
                null,
                "{\"id\":\"p-2\",\"features\":[1,1],\"eventTime\":\"2026-01-01T00:00:00Z\"}",
                RECORD_TIME);

        assertThat(vectors.readKeyValuesToList())
                .extracting(kv -> kv.key + " " + kv.value)
                .containsExactly(
                        "p-1 "
                                + new VectorEvent(
                                        "p-1", RECORD_TIME, List.of(0.9, -1.1), "different"),
                        "p-2 "
                                + new VectorEvent(
                                        "p-2",
                                        Instant.parse("2026-01-01T00:00:00Z"),
                                        List.of(1.0, 1.0),
                                        null));
        assertThat(counts.normalized.sum()).isEqualTo(2);
    }

    @Test
    void missingOrNonNumericFeaturesAreDeadLetteredWithTheReason() {
        json.pipeInput("a", "{\"label\":\"same\"}", RECORD_TIME);
        json.pipeInput("b", "{\"features\":[1,\"x\"]}", RECORD_TIME);
        json.pipeInput("c", "{\"features\":[]}", RECORD_TIME);

        assertThat(deadLetters.readValuesToList())
                .extracting(DeadLetter::getError)
                .containsExactly(
                        "vector-events-json: field 'features' is missing, expected a non-empty"
                                + " array of numbers",
                        "vector-events-json: features[1] is string \"x\", expected a finite number",
                        "vector-events-json: field 'features' is array [], expected a non-empty"
                                + " array of numbers");
        assertThat(vectors.isEmpty()).isTrue();
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
