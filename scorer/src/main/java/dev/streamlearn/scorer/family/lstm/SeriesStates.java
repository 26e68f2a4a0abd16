package dev.streamlearn.scorer.family.lstm;

import dev.streamlearn.models.family.lstm.SeriesTracker;
import java.nio.ByteBuffer;

/**
 * Bytes of one series' state in the scorer's changelogged store: the {@link SeriesTracker.State}
 * and the forecast of the series' next point with the model version that made it (format 2), so the
 * next point is checked against it without running the LSTM again, also after a restart or a move
 * to another instance. Format 1 (tracker state only) is still read.
 */
final class SeriesStates {
    private static final byte TRACKER_ONLY = 1;
    private static final byte WITH_NEXT_FORECAST = 2;

    /** No forecast kept (fewer than W points seen, or a format 1 state). */
    static final long NO_VERSION = -1;

    /**
     * @param tracker the tracker's state
     * @param nextForecast the forecast of the next point; NaN if none
     * @param nextForecastVersion the model version that made it; {@link #NO_VERSION} if none
     */
    record Saved(SeriesTracker.State tracker, double nextForecast, long nextForecastVersion) {
        /** The kept forecast if {@code version} made it, else NaN (to be made again). */
        double nextForecastBy(long version) {
            return nextForecastVersion == version ? nextForecast : Double.NaN;
        }
    }

    private SeriesStates() {}

    static byte[] encode(SeriesTracker.State state, double nextForecast, long version) {
        double[] values = state.lastValues();
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + 8 * values.length + 8 + 8 + 8 + 8 + 8);
        buffer.put(WITH_NEXT_FORECAST).putInt(values.length);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.putLong(state.seen())
                .putDouble(state.anomalyScale())
                .putLong(state.anomalyCount())
                .putDouble(nextForecast)
                .putLong(Double.isNaN(nextForecast) ? NO_VERSION : version)
                .array();
    }

    static Saved decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte format = buffer.get();
        if (format != TRACKER_ONLY && format != WITH_NEXT_FORECAST) {
            throw new IllegalStateException(
                    "series state format "
                            + format
                            + ", expected "
                            + TRACKER_ONLY
                            + " or "
                            + WITH_NEXT_FORECAST);
        }
        double[] values = new double[buffer.getInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getDouble();
        }
        SeriesTracker.State state =
                new SeriesTracker.State(
                        values, buffer.getLong(), buffer.getDouble(), buffer.getLong());
        return format == TRACKER_ONLY
                ? new Saved(state, Double.NaN, NO_VERSION)
                : new Saved(state, buffer.getDouble(), buffer.getLong());
    }
}
