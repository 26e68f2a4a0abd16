package dev.streamlearn.trainer.family;

import java.io.DataInput;
import java.io.IOException;

/** The type byte that opens each pending example a family writes into a checkpoint. */
public final class PendingExamples {
    private PendingExamples() {}

    /**
     * Reads the type byte of the next pending example.
     *
     * @throws IOException naming the type read, the one expected and the family's {@code kind}
     *     (e.g. "vector") unless it is {@code expected}
     */
    public static void readType(DataInput in, byte expected, String kind) throws IOException {
        byte type = in.readByte();
        if (type != expected) {
            throw new IOException(
                    "pending example type " + type + ", expected " + expected + " (" + kind + ")");
        }
    }
}
