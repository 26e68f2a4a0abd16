package dev.streamlearn.models.version;

import static dev.streamlearn.schemas.serde.ByteBuffers.copyOf;

import dev.streamlearn.schemas.avro.ModelVersion;
import dev.streamlearn.schemas.avro.SourceOffset;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes a version's signature covers: every field of a {@code ModelVersion} but the signature
 * itself, in one fixed order, each length-prefixed, so that two versions share these bytes only if
 * they say the same thing. The weights enter as their header bytes as stored ({@link
 * dev.streamlearn.models.codec.WeightsCodec}: magic, format version, kind and spec, which the
 * parameters' checksum does not cover) and the SHA-256 of their parameters ({@code weightsSha256},
 * which the contract checks against the parameters before the signature): so every byte of the
 * weights is covered, and a signed version still verifies after a later build gives its family a
 * new hyper-parameter with a default.
 *
 * <p>Layout (big-endian): a string is an int byte count and its UTF-8 bytes, an optional value a
 * byte 0 (absent) or 1 and the value, a map an int count and its entries sorted by key.
 *
 * <pre>
 * string "streamlearn/ModelVersion/signed/v1"
 * string model, string kind, long version, optional long parentVersion, long createdAt (epoch ms)
 * bytes  the weights up to their parameter count (magic, format, kind, spec as stored)
 * string weightsSha256, map&lt;string,string&gt; spec (the record's copy, for people)
 * long examplesSeen, map&lt;string,double bits&gt; metrics
 * int n, n × (string topic, int partition, long offset)   sourceOffsets, in the record's order
 * optional string codeVersion, string signingKeyId
 * </pre>
 *
 * A field added to {@code ModelVersion} later is added here under a new leading tag, so that a
 * reader knows which fields a signature covers.
 *
 * <p>A delta version ({@code deltaOf} set) is signed under the tag {@code
 * "streamlearn/ModelVersion/signed/v2"}: as above, but with {@code long deltaOf} after {@code
 * parentVersion} and its weights whole, the delta as sent (a few rows, so cheap to cover), since no
 * reader can check {@code weightsSha256} against them before it has rebuilt the parameters. Full
 * versions keep the v1 bytes, so versions signed before deltas still verify.
 */
final class CanonicalBytes {
    static final String TAG = "streamlearn/ModelVersion/signed/v1";
    static final String DELTA_TAG = "streamlearn/ModelVersion/signed/v2";

    private CanonicalBytes() {}

    /**
     * The canonical bytes of {@code version}.
     *
     * @param parameterCount how many parameters its weights hold, which says where their header
     *     ends (unused for a delta, whose weights are covered whole)
     * @param signingKeyId the key that signs (or signed) them, part of what is signed so that a
     *     signature cannot be passed off as another key's
     */
    static byte[] of(ModelVersion version, int parameterCount, String signingKeyId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            Long deltaOf = version.getDeltaOf();
            string(out, deltaOf == null ? TAG : DELTA_TAG);
            string(out, version.getModel());
            string(out, version.getKind());
            out.writeLong(version.getVersion());
            optionalLong(out, version.getParentVersion());
            if (deltaOf != null) {
                out.writeLong(deltaOf);
            }
            out.writeLong(version.getCreatedAt().toEpochMilli());
            byte[] header =
                    deltaOf == null
                            ? weightsHeader(version.getWeights(), parameterCount)
                            : copyOf(version.getWeights());
            out.writeInt(header.length);
            out.write(header);
            string(out, version.getWeightsSha256());
            strings(out, version.getSpec());
            out.writeLong(version.getExamplesSeen());
            Map<String, Double> metrics = new TreeMap<>();
            version.getMetrics().forEach((k, v) -> metrics.put(k.toString(), v));
            out.writeInt(metrics.size());
            for (Map.Entry<String, Double> e : metrics.entrySet()) {
                string(out, e.getKey());
                out.writeLong(Double.doubleToLongBits(e.getValue()));
            }
            out.writeInt(version.getSourceOffsets().size());
            for (SourceOffset o : version.getSourceOffsets()) {
                string(out, o.getTopic());
                out.writeInt(o.getPartition());
                out.writeLong(o.getOffset());
            }
            CharSequence code = version.getCodeVersion();
            out.writeByte(code == null ? 0 : 1);
            if (code != null) {
                string(out, code);
            }
            string(out, signingKeyId);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** The weights' bytes before their parameter count, parameters and checksum. */
    private static byte[] weightsHeader(ByteBuffer weights, int parameterCount) {
        ByteBuffer bytes = weights.duplicate();
        long length = bytes.remaining() - 4 - 4L * parameterCount - 32;
        if (length < 0) {
            throw new IllegalArgumentException(
                    bytes.remaining()
                            + " bytes of weights cannot hold "
                            + parameterCount
                            + " parameters");
        }
        byte[] header = new byte[(int) length];
        bytes.get(header);
        return header;
    }

    private static void string(DataOutputStream out, CharSequence value) throws IOException {
        byte[] utf8 = value.toString().getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void strings(
            DataOutputStream out, Map<? extends CharSequence, ? extends CharSequence> map)
            throws IOException {
        Map<String, String> sorted = new TreeMap<>();
        map.forEach((k, v) -> sorted.put(k.toString(), v.toString()));
        out.writeInt(sorted.size());
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            string(out, e.getKey());
            string(out, e.getValue());
        }
    }

    private static void optionalLong(DataOutputStream out, Long value) throws IOException {
        out.writeByte(value == null ? 0 : 1);
        if (value != null) {
            out.writeLong(value);
        }
    }
}
