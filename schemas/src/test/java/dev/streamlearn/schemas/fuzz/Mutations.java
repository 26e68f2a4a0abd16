package dev.streamlearn.schemas.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * The damage a fuzz test does to a valid encoding: what a broken producer, a bad disk or a hostile
 * writer hands a decoder. Each damaged value applies one to four of: a bit flip, a byte set to a
 * boundary value, inserted or deleted bytes, truncation, a duplicated range, or a huge varint
 * (Avro's length and count prefix) written over the bytes at some position.
 */
public final class Mutations {
    private static final byte[] BOUNDARY_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff};

    private Mutations() {}

    /** Damaged copies of {@code valid} (rarely, when a step undoes itself, an identical one). */
    public static Arbitrary<byte[]> of(byte[] valid) {
        return Arbitraries.randomValue(random -> damage(valid, random));
    }

    /**
     * {@code valid} with its bytes from {@code at} on replaced by a zig-zag varint of a huge
     * length.
     */
    public static byte[] withHugeVarintAt(byte[] valid, int at, long length) {
        byte[] varint = zigZagVarint(length);
        byte[] out = Arrays.copyOf(valid, Math.max(valid.length, at + varint.length));
        System.arraycopy(varint, 0, out, at, varint.length);
        return out;
    }

    /** Avro's encoding of a long: zig-zag, then 7 bits per byte, low bits first. */
    public static byte[] zigZagVarint(long value) {
        long n = (value << 1) ^ (value >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream(10);
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }

    static byte[] damage(byte[] valid, Random random) {
        byte[] bytes = valid.clone();
        int steps = 1 + random.nextInt(4);
        for (int i = 0; i < steps; i++) {
            bytes = step(bytes, random);
        }
        return bytes;
    }

    private static byte[] step(byte[] bytes, Random random) {
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        switch (random.nextInt(7)) {
            case 0 -> {
                if (bytes.length > 0) {
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                }
                return bytes;
            }
            case 1 -> {
                if (bytes.length > 0) {
                    bytes[at] = BOUNDARY_BYTES[random.nextInt(BOUNDARY_BYTES.length)];
                }
                return bytes;
            }
            case 2 -> {
                byte[] inserted = new byte[1 + random.nextInt(8)];
                random.nextBytes(inserted);
                return splice(bytes, at, 0, inserted);
            }
            case 3 -> {
                return splice(bytes, at, random.nextInt(bytes.length - at + 1), new byte[0]);
            }
            case 4 -> {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            case 5 -> {
                int length = random.nextInt(bytes.length - at + 1);
                return splice(bytes, at, 0, Arrays.copyOfRange(bytes, at, at + length));
            }
            default -> {
                long huge = (1L << (20 + random.nextInt(43))) + random.nextInt(1 << 20);
                return withHugeVarintAt(bytes, at, random.nextBoolean() ? huge : -huge);
            }
        }
    }

    private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        byte[] out = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(
                bytes, at + removed, out, at + inserted.length, bytes.length - at - removed);
        return out;
    }
}
