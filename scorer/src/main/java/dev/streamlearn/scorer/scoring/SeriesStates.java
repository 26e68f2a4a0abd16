package dev.streamlearn.scorer.scoring;

import dev.streamlearn.models.kernel.SeriesTracker;
import java.nio.ByteBuffer;

/** Bytes of a {@link SeriesTracker.State} in the scorer's changelogged store. */
final class SeriesStates {
    private static final byte FORMAT = 1;

    private SeriesStates() {}

    static byte[] encode(SeriesTracker.State state) {
        double[] values = state.lastValues();
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + 8 * values.length + 8 + 8 + 8);
        buffer.put(FORMAT).putInt(values.length);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.putLong(state.seen())
                .putDouble(state.anomalyScale())
                .putLong(state.anomalyCount())
                .array();
    }

    static SeriesTracker.State decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte format = buffer.get();
        if (format != FORMAT) {
            throw new IllegalStateException(
                    "series state format " + format + ", expected " + FORMAT);
        }
        double[] values = new double[buffer.getInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getDouble();
        }
        return new SeriesTracker.State(
                values, buffer.getLong(), buffer.getDouble(), buffer.getLong());
    }
}
