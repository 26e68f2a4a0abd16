package dev.streamlearn.schemas.serde;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Walks an Avro binary datum with its writer schema, reading nothing into memory, and refuses it if
 * any string, bytes, array or map claims more than the bytes that are left. Avro's decoder
 * allocates a value as large as its length or count prefix says before it reads the contents, so
 * one damaged prefix in a few bytes could ask for gigabytes; after this walk no prefix can.
 *
 * <p>An array or map item is taken to need at least one byte, which holds for every schema in
 * {@code src/main/avro} (none has an array of nulls or of empty records).
 */
final class DatumBounds {
    private final ByteArrayInputStream in;
    private final BinaryDecoder decoder;
    private final int length;

    private DatumBounds(byte[] bytes, int offset) {
        this.in = new ByteArrayInputStream(bytes, offset, bytes.length - offset);
        this.decoder = DecoderFactory.get().directBinaryDecoder(in, null);
        this.length = bytes.length;
    }

    /**
     * @throws IOException naming the prefix that claims more than is left, or the end reached
     */
    static void check(Schema writer, byte[] bytes, int offset) throws IOException {
        new DatumBounds(bytes, offset).walk(writer);
    }

    private void walk(Schema schema) throws IOException {
        switch (schema.getType()) {
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema());
                }
            }
            case UNION -> {
                int branch = decoder.readIndex();
                if (branch < 0 || branch >= schema.getTypes().size()) {
                    throw new IOException(
                            "union branch "
                                    + branch
                                    + " at byte "
                                    + position()
                                    + ", expected 0 to "
                                    + (schema.getTypes().size() - 1));
                }
                walk(schema.getTypes().get(branch));
            }
            case ARRAY -> {
                for (long n = decoder.readArrayStart(); n != 0; n = decoder.arrayNext()) {
                    fits(n, "array of " + n + " items");
                    for (long i = 0; i < n; i++) {
                        walk(schema.getElementType());
                    }
                }
            }
            case MAP -> {
                for (long n = decoder.readMapStart(); n != 0; n = decoder.mapNext()) {
                    fits(n, "map of " + n + " entries");
                    for (long i = 0; i < n; i++) {
                        skipBytes("map key");
                        walk(schema.getValueType());
                    }
                }
            }
            case STRING -> skipBytes("string");
            case BYTES -> skipBytes("bytes");
            case FIXED -> decoder.skipFixed(schema.getFixedSize());
            case ENUM -> decoder.readEnum();
            case INT -> decoder.readInt();
            case LONG -> decoder.readLong();
            case FLOAT -> decoder.readFloat();
            case DOUBLE -> decoder.readDouble();
            case BOOLEAN -> decoder.readBoolean();
            case NULL -> decoder.readNull();
        }
    }

    private void skipBytes(String what) throws IOException {
        long n = decoder.readLong();
        if (n < 0) {
            throw new IOException(
                    what + " length " + n + " at byte " + position() + ", expected 0 or more");
        }
        fits(n, what + " of " + n + " bytes");
        decoder.skipFixed((int) n);
    }

    private void fits(long n, String what) throws EOFException {
        if (n > in.available()) {
            throw new EOFException(
                    what
                            + " at byte "
                            + position()
                            + ", but only "
                            + in.available()
                            + " bytes are left");
        }
    }

    private int position() {
        return length - in.available();
    }
}
