package dev.streamlearn.models.codec;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.codec.WeightsFormatException.Check;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes of {@code ModelVersion.weights}. Layout (big-endian, {@code DataOutputStream}):
 *
 * <pre>
 * "SLWT"                     magic
 * int    format version      (1)
 * UTF    kind                e.g. "lstm-forecaster"
 * int    n, then n × (UTF name, UTF value)   the spec
 * int    m, then m × float32                 parameters in ParameterLayout order
 * 32 B   SHA-256 of the m float32s as stored
 * </pre>
 *
 * A decoder never returns weights a kernel cannot use: it checks, in order, the magic, the format
 * version, the structure, the spec, the parameter count against the spec, the checksum and that
 * every value is finite, and says which check failed.
 *
 * <p>Format version 2 is a delta version's weights ({@link WeightsDelta}): only what changed since
 * the parameters of another version. {@link #decode} refuses it by name ({@link
 * WeightsFormatException.Check#DELTA}), since it makes weights only with the ones it changes.
 */
public final class WeightsCodec {
    /** Whole weights. */
    public static final int FORMAT_VERSION = 1;

    static final byte[] MAGIC = {'S', 'L', 'W', 'T'};

    private WeightsCodec() {}

    /** Encoded weights and the lower-case hex SHA-256 of their parameters, hashed once. */
    public record Encoded(byte[] bytes, String sha256Hex) {}

    /** Decoded weights and the checksum they were verified against, as lower-case hex. */
    public record Decoded(ModelWeights weights, String sha256Hex) {}

    public static byte[] encode(ModelWeights weights) {
        return encodeHashed(weights).bytes();
    }

    /** Encodes {@code weights}, returning the checksum it computed with the bytes. */
    public static Encoded encodeHashed(ModelWeights weights) {
        try {
            ByteArrayOutputStream bytes =
                    new ByteArrayOutputStream(weights.params().length * 4 + 512);
            DataOutputStream out = new DataOutputStream(bytes);
            writeHeader(out, FORMAT_VERSION, weights.spec());
            byte[] params = paramBytes(weights.params());
            byte[] checksum = sha256(params);
            out.writeInt(weights.params().length);
            out.write(params);
            out.write(checksum);
            out.flush();
            return new Encoded(bytes.toByteArray(), HexFormat.of().formatHex(checksum));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelWeights decode(byte[] encoded) throws WeightsFormatException {
        return decodeVerified(encoded).weights();
    }

    /**
     * Decodes and checks {@code encoded}, returning the checksum the parameters were verified
     * against, so a caller comparing it with an announced one need not hash them again.
     */
    public static Decoded decodeVerified(byte[] encoded) throws WeightsFormatException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
        try {
            int version = readFormatVersion(in);
            if (version == WeightsDelta.FORMAT_VERSION) {
                throw new WeightsFormatException(
                        Check.DELTA,
                        "format version "
                                + version
                                + " holds the changes of a delta version, not whole weights: they"
                                + " decode only with the parameters of the version they change");
            }
            if (version != FORMAT_VERSION) {
                throw new WeightsFormatException(
                        Check.FORMAT_VERSION,
                        "format version "
                                + version
                                + " is not supported; this build reads "
                                + FORMAT_VERSION
                                + " and "
                                + WeightsDelta.FORMAT_VERSION);
            }
            ModelSpec spec = readSpec(in);
            int expected = ParameterLayout.of(spec).size();
            int count = in.readInt();
            if (count != expected) {
                throw new WeightsFormatException(
                        Check.PARAMETER_COUNT,
                        "the spec "
                                + spec
                                + " needs "
                                + expected
                                + " parameters, the weights hold "
                                + count);
            }
            if (in.available() != count * 4L + 32) {
                throw new WeightsFormatException(
                        Check.STRUCTURE,
                        "expected "
                                + (count * 4L + 32)
                                + " bytes of parameters and checksum, found "
                                + in.available());
            }
            byte[] params = new byte[count * 4];
            in.readFully(params);
            byte[] checksum = new byte[32];
            in.readFully(checksum);
            byte[] computed = sha256(params);
            if (!MessageDigest.isEqual(checksum, computed)) {
                throw new WeightsFormatException(
                        Check.CHECKSUM,
                        "stored SHA-256 "
                                + HexFormat.of().formatHex(checksum)
                                + " != computed "
                                + HexFormat.of().formatHex(computed));
            }
            float[] values = new float[count];
            ByteBuffer.wrap(params).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
            for (int i = 0; i < count; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new WeightsFormatException(
                            Check.FINITE,
                            "parameter " + i + " is " + values[i] + ", expected a finite number");
                }
            }
            return new Decoded(new ModelWeights(spec, values), HexFormat.of().formatHex(checksum));
        } catch (IOException e) {
            throw new WeightsFormatException(Check.STRUCTURE, "truncated or malformed: " + e);
        }
    }

    /** The magic, the format version, the kind and the spec: the start of every format. */
    static void writeHeader(DataOutputStream out, int formatVersion, ModelSpec spec)
            throws IOException {
        out.write(MAGIC);
        out.writeInt(formatVersion);
        out.writeUTF(spec.kind().id());
        Map<String, String> map = spec.toMap();
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    /** Checks the magic and returns the format version that follows it. */
    static int readFormatVersion(DataInputStream in) throws IOException, WeightsFormatException {
        byte[] magic = new byte[4];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new WeightsFormatException(
                    Check.MAGIC,
                    "expected the bytes 'SLWT' at the start, found "
                            + HexFormat.of().formatHex(magic));
        }
        return in.readInt();
    }

    /** The kind and spec after the format version, checked against the families of this build. */
    static ModelSpec readSpec(DataInputStream in) throws IOException, WeightsFormatException {
        String kindId = in.readUTF();
        int entries = in.readInt();
        if (entries < 0 || entries > 10_000) {
            throw new WeightsFormatException(
                    Check.STRUCTURE, "spec entry count " + entries + " is implausible");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        try {
            ModelFamily kind = ModelFamilies.byId(kindId);
            ModelSpec spec = ModelSpec.fromMap(kind, kind.storedSpec(map));
            ParameterLayout.of(spec);
            return spec;
        } catch (IllegalArgumentException e) {
            throw new WeightsFormatException(Check.SPEC, e.getMessage());
        }
    }

    /** Lower-case hex SHA-256 of the parameters as stored: {@code ModelVersion.weightsSha256}. */
    public static String sha256Hex(float[] params) {
        return HexFormat.of().formatHex(sha256(paramBytes(params)));
    }

    static byte[] paramBytes(float[] params) {
        ByteBuffer buffer = ByteBuffer.allocate(params.length * 4).order(ByteOrder.BIG_ENDIAN);
        buffer.asFloatBuffer().put(params);
        return buffer.array();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
