package dev.streamlearn.trainer.parallel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Float arrays in a checkpoint: a length, then the raw bits (so a restore is exact), through a
 * small buffer. A text model's arrays are megabytes each and written at every checkpoint; a buffer
 * the array's size would be allocated and dropped each time.
 */
final class StateFloats {
    private static final int CHUNK = 16 * 1024;

    private StateFloats() {}

    static void write(float[] values, DataOutputView out) throws IOException {
        out.writeInt(values.length);
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK * Float.BYTES);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            floats.clear();
            floats.put(values, from, n);
            out.write(bytes.array(), 0, n * Float.BYTES);
        }
    }

    static float[] read(DataInputView in) throws IOException {
        float[] values = new float[in.readInt()];
        ByteBuffer bytes = ByteBuffer.allocate(CHUNK * Float.BYTES);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            in.readFully(bytes.array(), 0, n * Float.BYTES);
            floats.clear();
            floats.get(values, from, n);
        }
        return values;
    }
}
