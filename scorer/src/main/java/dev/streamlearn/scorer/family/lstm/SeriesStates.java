package dev.streamlearn.scorer.family.lstm;

import dev.streamlearn.models.family.lstm.SeriesTracker;
import dev.streamlearn.models.forecast.PersistenceFallback;
import java.nio.ByteBuffer;

/**
 * Bytes of one series' state in the scorer's changelogged store: the {@link SeriesTracker.State},
 * the forecast of the series' next point with the model version that made it, so the next point is
 * checked against it without running the LSTM again, also after a restart or a move to another
 * instance, and the recent errors of the model and of persistence that decide which of the two
 * scores the series ({@link PersistenceFallback}) (format 3). Format 1 (tracker state only) and 2
 * (with the next forecast) are still read; their series start the fallback afresh.
 */
final class SeriesStates {
    private static final byte TRACKER_ONLY = 1;
    private static final byte WITH_NEXT_FORECAST = 2;
    private static final byte WITH_FALLBACK = 3;

    /** No forecast kept (fewer than W points seen, or a format 1 state). */
    static final long NO_VERSION = -1;

    /**
     * @param tracker the tracker's state
     * @param nextForecast the model's forecast of the next point; NaN if none
     * @param nextForecastVersion the model version that made it; {@link #NO_VERSION} if none
     * @param fallback the recent errors of the model and persistence on this series
     */
    record Saved(
            SeriesTracker.State tracker,
            double nextForecast,
            long nextForecastVersion,
            PersistenceFallback.State fallback) {
        /** The kept forecast if {@code version} made it, else NaN (to be made again). */
        double nextForecastBy(long version) {
            return nextForecastVersion == version ? nextForecast : Double.NaN;
        }
    }

    private SeriesStates() {}

    static byte[] encode(
            SeriesTracker.State state,
            double nextForecast,
            long version,
            PersistenceFallback.State fallback) {
        double[] values = state.lastValues();
        ByteBuffer buffer =
                ByteBuffer.allocate(1 + 4 + 8 * values.length + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8);
        buffer.put(WITH_FALLBACK).putInt(values.length);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.putLong(state.seen())
                .putDouble(state.anomalyScale())
                .putLong(state.anomalyCount())
                .putDouble(nextForecast)
                .putLong(Double.isNaN(nextForecast) ? NO_VERSION : version)
                .putDouble(fallback.modelMae())
                .putDouble(fallback.persistenceMae())
                .putLong(fallback.count())
                .array();
    }

    static Saved decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte format = buffer.get();
        if (format != TRACKER_ONLY && format != WITH_NEXT_FORECAST && format != WITH_FALLBACK) {
            throw new IllegalStateException(
                    "series state format "
                            + format
                            + ", expected "
                            + TRACKER_ONLY
                            + ", "
                            + WITH_NEXT_FORECAST
                            + " or "
                            + WITH_FALLBACK);
        }
        double[] values = new double[buffer.getInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getDouble();
        }
        SeriesTracker.State state =
                new SeriesTracker.State(
                        values, buffer.getLong(), buffer.getDouble(), buffer.getLong());
        if (format == TRACKER_ONLY) {
            return new Saved(state, Double.NaN, NO_VERSION, PersistenceFallback.State.FRESH);
        }
        double nextForecast = buffer.getDouble();
        long nextForecastVersion = buffer.getLong();
        PersistenceFallback.State fallback =
                format == WITH_NEXT_FORECAST
                        ? PersistenceFallback.State.FRESH
                        : new PersistenceFallback.State(
                                buffer.getDouble(), buffer.getDouble(), buffer.getLong());
        return new Saved(state, nextForecast, nextForecastVersion, fallback);
    }
}
