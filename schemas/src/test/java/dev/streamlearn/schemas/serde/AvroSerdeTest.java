package dev.streamlearn.schemas.serde;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamlearn.schemas.SampleRecords;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.fuzz.Bounded;
import dev.streamlearn.schemas.fuzz.Mutations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    @Test
    void everyTopicValueSurvivesARoundTrip() {
        for (Topic<?, ?> topic : Topics.avro()) {
            Object sample = SampleRecords.forTopic(topic.name());

            Object decoded = roundTrip(topic, sample);

            assertThat(decoded).as(topic.name()).isEqualTo(sample);
        }
    }

    @Test
    void encodedValuesStartWithTheSingleObjectMarkerAndTheSchemaFingerprint() {
        AvroSerde<TextEvent> serde = AvroSerde.of(TextEvent.class);

        byte[] bytes = serde.serialize("text-events", SampleRecords.textEvent());

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint =
                ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaCatalogue.fingerprint(TextEvent.getClassSchema()));
    }

    @Test
    void aRecordWrittenWithAnOlderSchemaIsReadByTheCurrentReader() throws IOException {
        Schema withoutLabel = testHistorySchema("TextEvent/v0-without-label.avsc");
        GenericRecord old = new GenericData.Record(withoutLabel);
        old.put("id", "easy-ham-1/00001");
        old.put("eventTime", 1_273_399_200_000L);
        old.put("text", "an older producer did not know labels");
        ByteBuffer written =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), withoutLabel)
                        .encode(old);

        TextEvent read =
                Topics.TEXT_EVENTS
                        .valueSerde()
                        .deserializer()
                        .deserialize("text-events", copyOf(written));

        assertThat(read.getId()).isEqualTo("easy-ham-1/00001");
        assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_273_399_200_000L));
        assertThat(read.getText()).isEqualTo("an older producer did not know labels");
        assertThat(read.getLabel())
                .as("a field the writer did not have takes its default")
                .isNull();
    }

    @Test
    void bytesThatAreNotSingleObjectAvroAreRefusedNamingTheTopic() {
        byte[] json = "{\"id\":\"1\",\"text\":\"hello\"}".getBytes();

        assertThatThrownBy(
                        () ->
                                Topics.TEXT_EVENTS
                                        .valueSerde()
                                        .deserializer()
                                        .deserialize("text-events", json))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith(
                        "topic text-events: expected a single-object Avro TextEvent")
                .hasMessageContaining("not single-object Avro");
    }

    @Test
    void aRecordOfAnotherTypeIsRefusedNamingWhatItIs() {
        byte[] point =
                Topics.SERIES_POINTS
                        .valueSerde()
                        .serializer()
                        .serialize("series-points", SampleRecords.seriesPoint());

        assertThatThrownBy(
                        () ->
                                Topics.TEXT_EVENTS
                                        .valueSerde()
                                        .deserializer()
                                        .deserialize("text-events", point))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("topic text-events")
                .hasMessageContaining("written as a dev.streamlearn.schemas.avro.SeriesPoint");
    }

    @Test
    void anUnknownSchemaFingerprintIsRefusedWithTheFingerprint() {
        byte[] bytes =
                Topics.TEXT_EVENTS
                        .valueSerde()
                        .serializer()
                        .serialize("text-events", SampleRecords.textEvent());
        bytes[5] ^= 0x5A; // corrupt the fingerprint

        assertThatThrownBy(
                        () ->
                                Topics.TEXT_EVENTS
                                        .valueSerde()
                                        .deserializer()
                                        .deserialize("text-events", bytes))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("writer schema fingerprint")
                .hasMessageContaining(
                        "is no released version of dev.streamlearn.schemas.avro.TextEvent");
    }

    @Test
    void aTruncatedRecordIsRefused() {
        byte[] bytes =
                Topics.TEXT_EVENTS
                        .valueSerde()
                        .serializer()
                        .serialize("text-events", SampleRecords.textEvent());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 10);

        assertThatThrownBy(
                        () ->
                                Topics.TEXT_EVENTS
                                        .valueSerde()
                                        .deserializer()
                                        .deserialize("text-events", truncated))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("do not hold a complete record");
    }

    @Test
    void aHugeLengthPrefixIsRefusedWithoutAllocatingWhatItClaims() {
        // Found by AvroSerdeFuzzTest: a text-events record whose id length says 2^31 - 9 bytes
        // made the decoder allocate that much before finding the bytes were not there.
        byte[] header =
                Arrays.copyOf(
                        Topics.TEXT_EVENTS
                                .valueSerde()
                                .serializer()
                                .serialize("text-events", SampleRecords.textEvent()),
                        10);
        byte[] bytes = Mutations.withHugeVarintAt(header, 10, Integer.MAX_VALUE - 8);

        Bounded.Outcome<TextEvent> outcome =
                Bounded.call(
                        () ->
                                Topics.TEXT_EVENTS
                                        .valueSerde()
                                        .deserializer()
                                        .deserialize("text-events", bytes));

        assertThat(outcome.failure())
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("do not hold a complete record");
        assertThat(outcome.allocatedBytes()).isLessThan(1 << 20);
    }

    @Test
    void nullBytesAreATombstone() {
        assertThat(
                        Topics.MODEL_CONTROL
                                .valueSerde()
                                .deserializer()
                                .deserialize("model-control", null))
                .isNull();
    }

    @SuppressWarnings("unchecked")
    private static <V> Object roundTrip(Topic<?, V> topic, Object value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), (V) value);
        return topic.valueSerde().deserializer().deserialize(topic.name(), bytes);
    }

    private static Schema testHistorySchema(String path) throws IOException {
        try (InputStream in =
                AvroSerdeTest.class
                        .getClassLoader()
                        .getResourceAsStream(SchemaCatalogue.HISTORY_ROOT + path)) {
            return new Schema.Parser().parse(in);
        }
    }
}
