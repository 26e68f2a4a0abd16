package dev.streamlearn.models.codec;

import dev.streamlearn.models.codec.WeightsFormatException.Check;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterBlock;
import dev.streamlearn.models.spec.ParameterLayout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The weights of a delta version: only the parameters that changed since a base, the full
 * parameters of an earlier version, row by row of each {@link ParameterBlock}. A text classifier
 * moves only the embedding rows of the tokens it has seen since (its Adam is lazy for them) and its
 * small softmax layer, so its delta is those rows and that layer, a small part of its weights.
 * Layout (big-endian, {@code DataOutputStream}), sharing its header with {@link WeightsCodec}:
 *
 * <pre>
 * "SLWT"                     magic
 * int    format version      (2)
 * UTF    kind, int n, n × (UTF name, UTF value)    the spec, which the base's must equal
 * int    m                   parameters of the whole, in ParameterLayout order
 * 32 B   SHA-256 of the base's m float32s
 * int    z, then z bytes     the body, deflated (zlib, RFC 1950):
 *   per block of the layout, in order:
 *     int r                  -1: all of the block changed; 0..rows: r rows, their ascending
 *                            int indices follow
 *   then the new float32s of those rows (or blocks), in order, each XOR the base's bits,
 *   as four byte planes: every value's first byte, then every second byte, ...
 * 32 B   SHA-256 of the m float32s the delta makes (the version's weightsSha256)
 * </pre>
 *
 * A small step leaves a float's sign, exponent and first mantissa bits as they were, so its XOR
 * with the base starts with zero bytes, and the planes put those zeros together for the deflater
 * (as HDF5's shuffle filter does): measured on the text classifier's deltas, a quarter fewer bytes
 * than the floats as they are (BENCHMARKS.md, "Light versions").
 *
 * <p>A row counts as changed when any of its floats differs in its bits from the base's, so
 * applying a delta to its base gives the new parameters exactly, which the final checksum proves.
 * {@link #apply} checks, in order, the magic, the format version, the spec (and that it is the
 * base's), the parameter count, that the base is the one the delta was made from, the structure
 * (the body inflates to no more than the layout allows, row indices in range and ascending, as many
 * values as rows), that every new value is finite and the checksum of the result.
 */
public final class WeightsDelta {
    public static final int FORMAT_VERSION = 2;

    /** A block's marker for "all of it follows". */
    private static final int WHOLE = -1;

    private WeightsDelta() {}

    /** Whether {@code weights}, as carried by a {@code ModelVersion}, are a delta's. */
    public static boolean isDelta(ByteBuffer weights) {
        ByteBuffer b = weights.duplicate();
        if (b.remaining() < 8) {
            return false;
        }
        int start = b.position();
        for (int i = 0; i < 4; i++) {
            if (b.get(start + i) != WeightsCodec.MAGIC[i]) {
                return false;
            }
        }
        return b.getInt(start + 4) == FORMAT_VERSION;
    }

    /**
     * The SHA-256 of the parameters {@code delta} was made from, as lower-case hex, read without
     * applying it.
     */
    public static String baseSha256Hex(ByteBuffer delta) throws WeightsFormatException {
        byte[] bytes = new byte[delta.remaining()];
        delta.duplicate().get(bytes);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            int version = WeightsCodec.readFormatVersion(in);
            if (version != FORMAT_VERSION) {
                throw new WeightsFormatException(
                        Check.FORMAT_VERSION,
                        "format version "
                                + version
                                + " is not a delta's; expected "
                                + FORMAT_VERSION);
            }
            WeightsCodec.readSpec(in);
            in.readInt();
            byte[] base = new byte[32];
            in.readFully(base);
            return HexFormat.of().formatHex(base);
        } catch (IOException e) {
            throw new WeightsFormatException(Check.STRUCTURE, "truncated or malformed: " + e);
        }
    }

    /**
     * The delta that turns {@code base} into {@code next}.
     *
     * @param baseSha256Hex the SHA-256 of {@code base}'s parameters as the codec hashes them (its
     *     version's {@code weightsSha256}), so that it is not hashed again
     * @return the delta's bytes and the SHA-256 of {@code next}'s parameters
     * @throws IllegalArgumentException if the specs differ: a new spec (e.g. grown label slots)
     *     needs whole weights
     */
    public static WeightsCodec.Encoded encode(
            ModelWeights base, String baseSha256Hex, ModelWeights next) {
        if (!base.spec().equals(next.spec())) {
            throw new IllegalArgumentException(
                    "a delta needs the same spec on both sides; base "
                            + base.spec()
                            + ", next "
                            + next.spec());
        }
        float[] from = base.params();
        float[] to = next.params();
        byte[] nextSha = WeightsCodec.sha256(WeightsCodec.paramBytes(to));
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(bytes);
            WeightsCodec.writeHeader(out, FORMAT_VERSION, next.spec());
            out.writeInt(to.length);
            out.write(HexFormat.of().parseHex(baseSha256Hex));
            byte[] body = deflate(body(ParameterLayout.of(next.spec()), from, to));
            out.writeInt(body.length);
            out.write(body);
            out.write(nextSha);
            out.flush();
            return new WeightsCodec.Encoded(bytes.toByteArray(), HexFormat.of().formatHex(nextSha));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The structure of the changed rows, then their values XOR the base's, in byte planes. */
    private static byte[] body(ParameterLayout layout, float[] from, float[] to)
            throws IOException {
        ByteArrayOutputStream structure = new ByteArrayOutputStream(4096);
        DataOutputStream out = new DataOutputStream(structure);
        int[] values = new int[to.length];
        int count = 0;
        for (ParameterBlock block : layout.blocks()) {
            int cols = block.cols();
            int[] changed = new int[block.rows()];
            int r = 0;
            for (int row = 0; row < block.rows(); row++) {
                int start = block.offset() + row * cols;
                for (int i = start; i < start + cols; i++) {
                    if (Float.floatToRawIntBits(from[i]) != Float.floatToRawIntBits(to[i])) {
                        changed[r++] = row;
                        break;
                    }
                }
            }
            // Row indices cost a value each per row; past that the whole block is as small.
            if ((long) r * (cols + 1) >= block.length()) {
                out.writeInt(WHOLE);
                for (int i = block.offset(); i < block.offset() + block.length(); i++) {
                    values[count++] = xor(from, to, i);
                }
                continue;
            }
            out.writeInt(r);
            for (int k = 0; k < r; k++) {
                out.writeInt(changed[k]);
            }
            for (int k = 0; k < r; k++) {
                int start = block.offset() + changed[k] * cols;
                for (int i = start; i < start + cols; i++) {
                    values[count++] = xor(from, to, i);
                }
            }
        }
        out.flush();
        byte[] head = structure.toByteArray();
        byte[] body = new byte[head.length + 4 * count];
        System.arraycopy(head, 0, body, 0, head.length);
        for (int plane = 0; plane < 4; plane++) {
            int shift = 24 - 8 * plane;
            int at = head.length + plane * count;
            for (int k = 0; k < count; k++) {
                body[at + k] = (byte) (values[k] >>> shift);
            }
        }
        return body;
    }

    private static int xor(float[] from, float[] to, int i) {
        return Float.floatToRawIntBits(from[i]) ^ Float.floatToRawIntBits(to[i]);
    }

    private static byte[] deflate(byte[] bytes) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(bytes);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
            byte[] chunk = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /**
     * The whole weights {@code delta} makes of {@code base}, verified against the checksum it
     * carries.
     *
     * @param baseSha256Hex the SHA-256 of {@code base}'s parameters (its version's {@code
     *     weightsSha256}); it must be the one the delta was made from
     * @throws WeightsFormatException naming the check that failed; {@link Check#BASE} when the
     *     delta was made from other parameters than {@code base}'s
     */
    public static WeightsCodec.Decoded apply(byte[] delta, ModelWeights base, String baseSha256Hex)
            throws WeightsFormatException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(delta));
        try {
            int version = WeightsCodec.readFormatVersion(in);
            if (version != FORMAT_VERSION) {
                throw new WeightsFormatException(
                        Check.FORMAT_VERSION,
                        "format version "
                                + version
                                + " is not a delta's; expected "
                                + FORMAT_VERSION);
            }
            ModelSpec spec = WeightsCodec.readSpec(in);
            if (!spec.equals(base.spec())) {
                throw new WeightsFormatException(
                        Check.SPEC,
                        "the delta is of spec "
                                + spec
                                + " but the weights it would change are of "
                                + base.spec());
            }
            int count = in.readInt();
            if (count != base.params().length) {
                throw new WeightsFormatException(
                        Check.PARAMETER_COUNT,
                        "the delta changes "
                                + count
                                + " parameters, the weights it would change hold "
                                + base.params().length);
            }
            byte[] madeFrom = new byte[32];
            in.readFully(madeFrom);
            String madeFromHex = HexFormat.of().formatHex(madeFrom);
            if (!madeFromHex.equals(baseSha256Hex)) {
                throw new WeightsFormatException(
                        Check.BASE,
                        "the delta was made from parameters with SHA-256 "
                                + madeFromHex
                                + ", not from these ("
                                + baseSha256Hex
                                + ")");
            }
            int deflated = in.readInt();
            if (deflated < 0 || deflated > in.available() - 32) {
                throw new WeightsFormatException(
                        Check.STRUCTURE,
                        "a body of "
                                + deflated
                                + " bytes does not fit the "
                                + in.available()
                                + " bytes left");
            }
            byte[] body = new byte[deflated];
            in.readFully(body);
            ParameterLayout layout = ParameterLayout.of(spec);
            float[] params = base.params().clone();
            applyBody(inflate(body, 4L * layout.blocks().size() + 8L * count), layout, params);
            byte[] checksum = new byte[32];
            in.readFully(checksum);
            if (in.available() != 0) {
                throw new WeightsFormatException(
                        Check.STRUCTURE, in.available() + " bytes after the checksum");
            }
            byte[] computed = WeightsCodec.sha256(WeightsCodec.paramBytes(params));
            if (!MessageDigest.isEqual(checksum, computed)) {
                throw new WeightsFormatException(
                        Check.CHECKSUM,
                        "stored SHA-256 "
                                + HexFormat.of().formatHex(checksum)
                                + " != computed "
                                + HexFormat.of().formatHex(computed)
                                + " of the parameters the delta makes");
            }
            return new WeightsCodec.Decoded(
                    new ModelWeights(spec, params), HexFormat.of().formatHex(checksum));
        } catch (IOException e) {
            throw new WeightsFormatException(Check.STRUCTURE, "truncated or malformed: " + e);
        }
    }

    /** Inflates {@code deflated}, refusing more than {@code limit} bytes. */
    private static byte[] inflate(byte[] deflated, long limit) throws WeightsFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 2 + 64);
            byte[] chunk = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new WeightsFormatException(
                            Check.STRUCTURE, "the body ends before its deflate stream does");
                }
                out.write(chunk, 0, n);
                if (out.size() > limit) {
                    throw new WeightsFormatException(
                            Check.STRUCTURE,
                            "the body inflates to more than the "
                                    + limit
                                    + " bytes its layout allows");
                }
            }
            if (inflater.getRemaining() != 0) {
                throw new WeightsFormatException(
                        Check.STRUCTURE,
                        inflater.getRemaining() + " bytes after the deflate stream");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new WeightsFormatException(
                    Check.STRUCTURE, "the body is not a deflate stream: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** Reads the changed rows of every block from {@code body} into {@code params}. */
    private static void applyBody(byte[] body, ParameterLayout layout, float[] params)
            throws WeightsFormatException {
        ByteBuffer in = ByteBuffer.wrap(body);
        int blocks = layout.blocks().size();
        int[][] rows = new int[blocks][];
        long count = 0;
        for (int b = 0; b < blocks; b++) {
            ParameterBlock block = layout.blocks().get(b);
            if (in.remaining() < 4) {
                throw new WeightsFormatException(
                        Check.STRUCTURE, "the body ends before block " + block.name());
            }
            int r = in.getInt();
            if (r == WHOLE) {
                count += block.length();
                continue;
            }
            if (r < 0 || r > block.rows() || in.remaining() < 4L * r) {
                throw new WeightsFormatException(
                        Check.STRUCTURE,
                        "block "
                                + block.name()
                                + " has "
                                + block.rows()
                                + " rows, the delta changes "
                                + r);
            }
            rows[b] = new int[r];
            for (int k = 0; k < r; k++) {
                int row = in.getInt();
                if (row < 0 || row >= block.rows() || (k > 0 && row <= rows[b][k - 1])) {
                    throw new WeightsFormatException(
                            Check.STRUCTURE,
                            "block "
                                    + block.name()
                                    + ": changed row "
                                    + row
                                    + " at index "
                                    + k
                                    + ", expected ascending rows in 0.."
                                    + (block.rows() - 1));
                }
                rows[b][k] = row;
            }
            count += (long) r * block.cols();
        }
        if (in.remaining() != 4 * count) {
            throw new WeightsFormatException(
                    Check.STRUCTURE,
                    "the rows changed hold "
                            + count
                            + " values, the body "
                            + in.remaining()
                            + " bytes of them");
        }
        int planes = in.position();
        int n = (int) count;
        int k = 0;
        for (int b = 0; b < blocks; b++) {
            ParameterBlock block = layout.blocks().get(b);
            if (rows[b] == null) {
                for (int i = block.offset(); i < block.offset() + block.length(); i++) {
                    params[i] = value(body, planes, n, k++, params[i], i);
                }
                continue;
            }
            for (int row : rows[b]) {
                int start = block.offset() + row * block.cols();
                for (int i = start; i < start + block.cols(); i++) {
                    params[i] = value(body, planes, n, k++, params[i], i);
                }
            }
        }
    }

    /** The {@code k}th of {@code n} values in byte planes from {@code at}, XOR {@code base}. */
    private static float value(byte[] body, int at, int n, int k, float base, int index)
            throws WeightsFormatException {
        int bits =
                (body[at + k] & 0xff) << 24
                        | (body[at + n + k] & 0xff) << 16
                        | (body[at + 2 * n + k] & 0xff) << 8
                        | (body[at + 3 * n + k] & 0xff);
        return finite(Float.intBitsToFloat(bits ^ Float.floatToRawIntBits(base)), index);
    }

    private static float finite(float value, int index) throws WeightsFormatException {
        if (!Float.isFinite(value)) {
            throw new WeightsFormatException(
                    Check.FINITE,
                    "parameter " + index + " is " + value + ", expected a finite number");
        }
        return value;
    }
}
