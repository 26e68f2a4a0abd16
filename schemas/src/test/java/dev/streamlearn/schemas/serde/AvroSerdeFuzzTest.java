package dev.streamlearn.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.SampleRecords;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.fuzz.Bounded;
import dev.streamlearn.schemas.fuzz.Mutations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.common.serialization.Serde;

/**
 * Issue 18, fuzzing: the single-object Avro decoder of every topic, fed damaged encodings of a real
 * record, either returns a record that encodes again and reads back to the same bytes, or refuses
 * the bytes with an {@link UnreadableRecordException} naming the topic and the record it expected.
 * Nothing else escapes (no other exception, no error, no hang), and no case allocates more than a
 * small multiple of its input, whatever a length prefix claims.
 */
class AvroSerdeFuzzTest {
    private static final List<Topic<?, ?>> TOPICS = Topics.avro();

    /** A decoder copies each string and byte field a few times; a megabyte covers the rest. */
    private static final long ALLOCATION_SLACK = 1 << 20;

    private static final int ALLOCATION_PER_INPUT_BYTE = 64;

    record Case(Topic<?, ?> topic, byte[] bytes) {
        @Override
        public String toString() {
            return topic.name() + " " + Arrays.toString(bytes);
        }
    }

    @Property(tries = 10_000)
    void aDamagedRecordDecodesToAValidRecordOrIsRefusedAsUnreadable(
            @ForAll("damagedRecords") Case damaged) {
        Statistics.label("outcome").collect(decodeAndJudge(damaged));
        Statistics.label("outcome")
                .coverage(coverage -> coverage.check("refused").percentage(p -> p > 50));
    }

    @Property(tries = 2_000)
    void aHugeLengthOrCountPrefixIsRefusedWithoutBeingAllocated(
            @ForAll("hugePrefixes") Case damaged) {
        Statistics.label("outcome").collect(decodeAndJudge(damaged));
    }

    @Property(tries = 1_000)
    void aWriterFingerprintOfNoReleasedSchemaIsRefusedNamingTheFingerprint(
            @ForAll("topics") Topic<?, ?> topic, @ForAll long fingerprint) {
        Assume.that(SchemaCatalogue.classpath().byFingerprint(fingerprint).isEmpty());
        byte[] bytes = encodedSample(topic);
        ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint);

        Bounded.Outcome<Object> outcome = decode(topic, bytes);

        assertThat(outcome.failure())
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageStartingWith("topic " + topic.name() + ": expected a single-object Avro")
                .hasMessageContaining(String.format("%016x", fingerprint));
    }

    @Example
    void everyTruncationOfEveryTopicsRecordIsRefused() {
        for (Topic<?, ?> topic : TOPICS) {
            byte[] bytes = encodedSample(topic);
            for (int length = 0; length < bytes.length; length++) {
                Case truncated = new Case(topic, Arrays.copyOf(bytes, length));

                assertThat(decodeAndJudge(truncated)).as("%s", truncated).isEqualTo("refused");
            }
        }
    }

    @Provide
    Arbitrary<Topic<?, ?>> topics() {
        return Arbitraries.of(TOPICS);
    }

    @Provide
    Arbitrary<Case> damagedRecords() {
        return topics().flatMap(
                        topic ->
                                Mutations.of(encodedSample(topic))
                                        .map(bytes -> new Case(topic, bytes)));
    }

    /** A valid record with a varint of a huge length written over it at some body position. */
    @Provide
    Arbitrary<Case> hugePrefixes() {
        return topics().flatMap(
                        topic -> {
                            byte[] bytes = encodedSample(topic);
                            return Combinators.combine(
                                            Arbitraries.integers().between(10, bytes.length - 1),
                                            Arbitraries.longs()
                                                    .between(1L << 20, Integer.MAX_VALUE))
                                    .as(
                                            (at, length) ->
                                                    new Case(
                                                            topic,
                                                            Mutations.withHugeVarintAt(
                                                                    bytes, at, length)));
                        });
    }

    /**
     * Decodes one case and checks what came out: "decoded" or "refused". A decoded value must be a
     * record its own serde writes and reads back equal; a refusal must name the topic.
     */
    @SuppressWarnings("unchecked")
    private static String decodeAndJudge(Case input) {
        Topic<?, Object> topic = (Topic<?, Object>) input.topic();
        Bounded.Outcome<Object> outcome = decode(topic, input.bytes());
        assertThat(outcome.allocatedBytes())
                .as("bytes allocated decoding %d input bytes", input.bytes().length)
                .isLessThan(ALLOCATION_SLACK + ALLOCATION_PER_INPUT_BYTE * input.bytes().length);
        if (outcome.failure() != null) {
            assertThat(outcome.failure())
                    .isInstanceOf(UnreadableRecordException.class)
                    .hasMessageStartingWith(
                            "topic " + topic.name() + ": expected a single-object Avro ");
            return "refused";
        }
        Object record = outcome.value();
        assertThat(record).isNotNull();
        // Compared as bytes: records holding NaN are not equals() to themselves.
        Serde<Object> serde = topic.valueSerde();
        byte[] again = serde.serializer().serialize(topic.name(), record);
        Object reread = serde.deserializer().deserialize(topic.name(), again);
        assertThat(serde.serializer().serialize(topic.name(), reread)).isEqualTo(again);
        return "decoded";
    }

    private static Bounded.Outcome<Object> decode(Topic<?, ?> topic, byte[] bytes) {
        return Bounded.call(
                () -> topic.valueSerde().deserializer().deserialize(topic.name(), bytes));
    }

    @SuppressWarnings("unchecked")
    private static byte[] encodedSample(Topic<?, ?> topic) {
        Serde<Object> serde = (Serde<Object>) topic.valueSerde();
        return serde.serializer().serialize(topic.name(), SampleRecords.forTopic(topic.name()));
    }
}
