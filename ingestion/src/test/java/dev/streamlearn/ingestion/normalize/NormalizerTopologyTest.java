package dev.streamlearn.ingestion.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.DeadLetter;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.avro.TextEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizerTopologyTest {
    private static final Instant RECORD_TIME = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir Path stateDir;
    private final NormalizerTopology.Counts counts = new NormalizerTopology.Counts();
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> seriesJson;
    private TestInputTopic<String, String> textJson;
    private TestOutputTopic<String, SeriesPoint> points;
    private TestOutputTopic<String, TextEvent> texts;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        driver =
                new TopologyTestDriver(
                        NormalizerTopology.build(counts),
                        NormalizerApp.config("127.0.0.1:9", stateDir));
        StringSerializer strings = new StringSerializer();
        seriesJson = driver.createInputTopic(Topics.SERIES_POINTS_JSON.name(), strings, strings);
        textJson = driver.createInputTopic(Topics.TEXT_EVENTS_JSON.name(), strings, strings);
        points = output(Topics.SERIES_POINTS);
        texts = output(Topics.TEXT_EVENTS);
        deadLetters = output(Topics.DEAD_LETTERS);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void aSeriesPointInJsonBecomesAvroKeyedBySeries() {
        seriesJson.pipeInput(
                null,
                "{\"seriesId\":\"mote-1\",\"value\":27.97,\"eventTime\":\"2010-05-09T10:00:00Z\"}",
                RECORD_TIME);

        var record = points.readRecord();
        assertThat(record.key()).isEqualTo("mote-1");
        assertThat(record.value())
                .isEqualTo(new SeriesPoint("mote-1", Instant.parse("2010-05-09T10:00:00Z"), 27.97));
    }

    @Test
    void aTextWithoutIdOrTimeTakesTheRecordKeyAndTimestamp() {
        textJson.pipeInput(
                "mail-7",
                "{\"text\":\"Cheap loans today\",\"label\":\"spam\",\"source\":\"kcat\"}",
                RECORD_TIME);

        TextEvent event = texts.readValue();
        assertThat(event)
                .isEqualTo(new TextEvent("mail-7", RECORD_TIME, "Cheap loans today", "spam"));
        assertThat(counts.normalized.sum()).isEqualTo(1);
    }

    @Test
    void anEmptyLabelMeansUnlabelled() {
        textJson.pipeInput(
                null,
                "{\"id\":\"m\",\"text\":\"hi\",\"label\":\"\",\"eventTime\":1273399200000}",
                RECORD_TIME);

        TextEvent event = texts.readValue();
        assertThat(event.getLabel()).isNull();
        assertThat(event.getEventTime()).isEqualTo(Instant.ofEpochMilli(1273399200000L));
    }

    @Test
    void everyUnusableRecordGoesToDeadLettersWithItsReasonAndBytes() {
        seriesJson.pipeInput("k", "not json", RECORD_TIME);
        seriesJson.pipeInput("k", "[1,2]", RECORD_TIME);
        seriesJson.pipeInput("k", "{\"value\":1.5}", RECORD_TIME);
        seriesJson.pipeInput("k", "{\"seriesId\":\"s\",\"value\":\"warm\"}", RECORD_TIME);
        seriesJson.pipeInput(
                "k", "{\"seriesId\":\"s\",\"value\":1,\"eventTime\":\"yesterday\"}", RECORD_TIME);
        textJson.pipeInput(null, "{\"text\":\"no id anywhere\"}", RECORD_TIME);
        textJson.pipeInput("k", "{\"id\":\"x\",\"text\":42}", RECORD_TIME);

        assertThat(deadLetters.readValuesToList())
                .extracting(DeadLetter::getError)
                .containsExactly(
                        "series-points-json: the value is not JSON (Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))",
                        "series-points-json: the value is array [1,2], expected a JSON object",
                        "series-points-json: field 'seriesId' is missing, expected a string",
                        "series-points-json: field 'value' is string \"warm\", expected a finite number",
                        "series-points-json: field 'eventTime' time 'yesterday' is not epoch milliseconds, an ISO-8601 date/date-time or yyyyMMdd",
                        "text-events-json: no 'id' field and no record key, expected one of them",
                        "text-events-json: field 'text' is number 42, expected a string");
        assertThat(points.isEmpty()).isTrue();
        assertThat(texts.isEmpty()).isTrue();
        assertThat(counts.deadLettered.sum()).isEqualTo(7);
    }

    @Test
    void anEventTimeBeyondWhatEpochMillisecondsHoldIsDeadLetteredAndTheNextRecordNormalized() {
        // Found by NormalizerFuzzTest: the overflow escaped the processor and stopped the app.
        textJson.pipeInput(
                "k", "{\"text\":\"x\",\"eventTime\":\"-999999999-01-01T00:00:00\"}", RECORD_TIME);
        textJson.pipeInput("k", "{\"text\":\"next\"}", RECORD_TIME);

        assertThat(deadLetters.readValue().getError())
                .isEqualTo(
                        "text-events-json: field 'eventTime' time '-999999999-01-01T00:00:00' is"
                                + " out of range, expected one between years -292275055 and"
                                + " 292278994 (epoch milliseconds)");
        assertThat(texts.readValue().getText()).isEqualTo("next");
    }

    @Test
    void aDeadLetterKeepsWhereTheRecordCameFrom() {
        seriesJson.pipeInput("k", "{}", RECORD_TIME);

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getSourceTopic()).isEqualTo("series-points-json");
        assertThat(letter.getOffset()).isZero();
        assertThat(letter.getStage()).isEqualTo("normalize");
        assertThat(new String(letter.getOriginalValue().array(), StandardCharsets.UTF_8))
                .isEqualTo("{}");
    }

    private <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(
                topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
