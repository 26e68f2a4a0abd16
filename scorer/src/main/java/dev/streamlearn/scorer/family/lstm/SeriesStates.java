package dev.streamlearn.scorer.family.lstm;

import dev.streamlearn.models.family.lstm.ForecastExperts;
import dev.streamlearn.models.family.lstm.SeriesTracker;
import java.nio.ByteBuffer;

/**
 * Bytes of one series' state in the scorer's changelogged store: the {@link SeriesTracker.State},
 * with the recent errors of the forecaster's experts ({@link ForecastExperts}), and the whole
 * model's forecast of the series' next point with the model version that made it, so the next point
 * is checked against it without running the LSTM again, also after a restart or a move to another
 * instance (format 4). Still read: format 1 (tracker state only), 2 (with the next forecast) and 3
 * (with a persistence fallback's errors, which the experts replaced); the experts of a series kept
 * in them start afresh.
 */
final class SeriesStates {
    private static final byte TRACKER_ONLY = 1;
    private static final byte WITH_NEXT_FORECAST = 2;
    private static final byte WITH_FALLBACK = 3;
    private static final byte WITH_EXPERTS = 4;

    /** No forecast kept (fewer than W points seen, or a format 1 state). */
    static final long NO_VERSION = -1;

    /**
     * @param tracker the tracker's state
     * @param nextForecast the whole model's forecast of the next point; NaN if none
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
        double[] experts = state.experts().mae();
        ByteBuffer buffer =
                ByteBuffer.allocate(
                        1 + 4 + 8 * values.length + 8 + 8 + 8 + 8 + 8 + 4 + 8 * experts.length + 8);
        buffer.put(WITH_EXPERTS).putInt(values.length);
        for (double value : values) {
            buffer.putDouble(value);
        }
        buffer.putLong(state.seen())
                .putDouble(state.anomalyScale())
                .putLong(state.anomalyCount())
                .putDouble(nextForecast)
                .putLong(Double.isNaN(nextForecast) ? NO_VERSION : version)
                .putInt(experts.length);
        for (double mae : experts) {
            buffer.putDouble(mae);
        }
        return buffer.putLong(state.experts().count()).array();
    }

    static Saved decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte format = buffer.get();
        if (format < TRACKER_ONLY || format > WITH_EXPERTS) {
            throw new IllegalStateException(
                    "series state format "
                            + format
                            + ", expected "
                            + TRACKER_ONLY
                            + " to "
                            + WITH_EXPERTS);
        }
        double[] values = new double[buffer.getInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getDouble();
        }
        long seen = buffer.getLong();
        double anomalyScale = buffer.getDouble();
        long anomalyCount = buffer.getLong();
        if (format == TRACKER_ONLY) {
            return new Saved(
                    new SeriesTracker.State(values, seen, anomalyScale, anomalyCount),
                    Double.NaN,
                    NO_VERSION);
        }
        double nextForecast = buffer.getDouble();
        long nextForecastVersion = buffer.getLong();
        ForecastExperts.State experts = ForecastExperts.State.fresh();
        if (format == WITH_EXPERTS) {
            double[] mae = new double[buffer.getInt()];
            for (int i = 0; i < mae.length; i++) {
                mae[i] = buffer.getDouble();
            }
            experts = new ForecastExperts.State(mae, buffer.getLong());
        }
        // Format 3's fallback errors (two doubles and a count) are left unread.
        return new Saved(
                new SeriesTracker.State(values, seen, anomalyScale, anomalyCount, experts),
                nextForecast,
                nextForecastVersion);
    }
}
