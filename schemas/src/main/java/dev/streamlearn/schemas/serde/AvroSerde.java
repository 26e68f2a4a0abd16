package dev.streamlearn.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro record class, in Avro's <a
 * href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">single-object
 * encoding</a>: a two-byte marker, the writer schema's 64-bit fingerprint, then the binary datum.
 * The reader resolves every released version of the record from the {@link SchemaCatalogue}, so
 * data written by an older producer is read into the current class without a registry server.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord>
        implements Serde<T>, Serializer<T>, Deserializer<T> {
    private static final int HEADER_BYTES = 10;

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final SchemaCatalogue catalogue;
    private final Map<Long, Schema> writerSchemas = new HashMap<>();

    private AvroSerde(Class<T> recordClass, SchemaCatalogue catalogue) {
        SpecificData model = SpecificData.getForClass(recordClass);
        this.schema = model.getSchema(recordClass);
        this.catalogue = catalogue;
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        writerSchemas.put(SchemaCatalogue.fingerprint(schema), schema);
        // Only versions of this same record: bytes of another record type must be refused, not
        // "resolved" into an empty or default-filled record.
        for (Schema older : catalogue.versionsOf(schema.getFullName())) {
            decoder.addSchema(older);
            writerSchemas.put(SchemaCatalogue.fingerprint(older), older);
        }
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> recordClass) {
        return new AvroSerde<>(recordClass, SchemaCatalogue.classpath());
    }

    /** The current (reader and writer) schema. */
    public Schema schema() {
        return schema;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "topic "
                            + topic
                            + ": cannot encode "
                            + schema.getName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null; // a tombstone
        }
        try {
            checkLengthsFit(bytes);
            return decoder.decode(bytes);
        } catch (BadHeaderException e) {
            throw unreadable(topic, "not single-object Avro (" + e.getMessage() + ")", e);
        } catch (MissingSchemaException e) {
            throw unreadable(topic, unknownWriterSchema(bytes), e);
        } catch (IOException | RuntimeException e) {
            throw unreadable(
                    topic,
                    "the " + bytes.length + " bytes do not hold a complete record (" + e + ")",
                    e);
        }
    }

    /** Refuses a length or count prefix larger than the bytes left: see {@link DatumBounds}. */
    private void checkLengthsFit(byte[] bytes) throws IOException {
        if (bytes.length < HEADER_BYTES) {
            return; // the decoder refuses the header, naming what is wrong with it
        }
        Schema writer = writerSchemas.get(fingerprintOf(bytes));
        if (writer == null) {
            return; // the decoder refuses an unknown writer schema
        }
        DatumBounds.check(writer, bytes, HEADER_BYTES);
    }

    private static long fingerprintOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 2, HEADER_BYTES - 2).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private String unknownWriterSchema(byte[] bytes) {
        long fingerprint = fingerprintOf(bytes);
        String hex = HexFormat.of().toHexDigits(fingerprint);
        return catalogue
                .byFingerprint(fingerprint)
                .map(
                        other ->
                                "written as a "
                                        + other.getFullName()
                                        + ", not a "
                                        + schema.getFullName())
                .orElse(
                        "writer schema fingerprint "
                                + hex
                                + " is no released version of "
                                + schema.getFullName()
                                + " (see avro/history)");
    }

    private UnreadableRecordException unreadable(String topic, String why, Throwable cause) {
        return new UnreadableRecordException(
                topic, "expected a single-object Avro " + schema.getName() + ", but " + why, cause);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schema comes from the record class, history from the catalogue.
    }

    @Override
    public void close() {
        // Stateless between calls; the same instance serves every client.
    }
}
