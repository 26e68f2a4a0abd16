package dev.streamlearn.trainer.training;

import dev.streamlearn.models.family.lstm.NormalisedWindow;
import dev.streamlearn.schemas.record.RecordOrigin;

/**
 * What reaches the learner of one model: a training example (a series window and its next value, a
 * labelled text, a labelled vector or a labelled image), or only the news that a record was
 * consumed (so the published offsets cover every record, used or not). A decoded series point is a
 * {@link SeriesPoint} until its window is known. Each keeps the record it came from ({@link
 * #origin()}) so that a learner refusing the example can dead-letter it exactly.
 */
public sealed interface TrainingInput {
    /** The model (learner key) this is for. */
    String model();

    /** The record this came from; a bare {@link Consumed} position keeps no bytes. */
    RecordOrigin origin();

    /** Whether this trains its model, rather than only marking a record as consumed. */
    boolean isExample();

    /**
     * A decoded series point, before its window is known.
     *
     * @param id the series id
     * @param eventTime the event's time, epoch millis
     * @param point the series value
     */
    record SeriesPoint(String model, RecordOrigin origin, String id, long eventTime, double point)
            implements TrainingInput {
        /** This point with the window that precedes it: an example (no baseline forecasts). */
        public SeriesExample withWindow(NormalisedWindow window) {
            return withWindow(window, Double.NaN, Double.NaN);
        }

        /**
         * This point with the window that precedes it and the forecasts the series' seasonal naive
         * and online AR baselines made of it: an example.
         */
        public SeriesExample withWindow(
                NormalisedWindow window, double seasonalNaive, double autoRegression) {
            return new SeriesExample(
                    model,
                    origin,
                    id,
                    eventTime,
                    point,
                    window.inputs(),
                    window.last(),
                    window.scale(),
                    window.seasonal(),
                    seasonalNaive,
                    autoRegression);
        }

        /** The same position without the payload: the point trains nothing (yet). */
        public Consumed positionOnly() {
            return consumed(model, origin);
        }

        @Override
        public boolean isExample() {
            return false;
        }
    }

    /**
     * A series point with the W points before it, normalised.
     *
     * @param window the W points before {@code point}, normalised
     * @param windowLast the window's last raw value
     * @param windowScale the window's scale
     * @param seasonal the window's seasonal inputs ({@link NormalisedWindow#seasonal})
     * @param seasonalNaive the series' seasonal naive forecast of {@code point}; NaN if none
     * @param autoRegression the series' online AR forecast of {@code point}; NaN if none
     */
    record SeriesExample(
            String model,
            RecordOrigin origin,
            String id,
            long eventTime,
            double point,
            float[] window,
            double windowLast,
            double windowScale,
            float[] seasonal,
            double seasonalNaive,
            double autoRegression)
            implements TrainingInput {
        public NormalisedWindow normalisedWindow() {
            return new NormalisedWindow(window, windowLast, windowScale, seasonal);
        }

        @Override
        public boolean isExample() {
            return true;
        }
    }

    /**
     * A labelled text.
     *
     * @param id the text event's id
     * @param eventTime the event's time, epoch millis
     */
    record TextExample(
            String model, RecordOrigin origin, String id, long eventTime, String text, String label)
            implements TrainingInput {
        @Override
        public boolean isExample() {
            return true;
        }
    }

    /**
     * A labelled numeric feature vector.
     *
     * @param id the vector event's id
     * @param eventTime the event's time, epoch millis
     */
    record VectorExample(
            String model,
            RecordOrigin origin,
            String id,
            long eventTime,
            double[] features,
            String label)
            implements TrainingInput {
        @Override
        public boolean isExample() {
            return true;
        }
    }

    /**
     * A labelled image, of the size its model reads (checked when decoded).
     *
     * @param id the image event's id
     * @param eventTime the event's time, epoch millis
     * @param pixels width × height × channels bytes (0-255), row-major, channel-last
     */
    record ImageExample(
            String model,
            RecordOrigin origin,
            String id,
            long eventTime,
            int width,
            int height,
            int channels,
            byte[] pixels,
            String label)
            implements TrainingInput {
        @Override
        public boolean isExample() {
            return true;
        }
    }

    /** Only the position of a consumed record that trains nothing. */
    record Consumed(String model, RecordOrigin origin) implements TrainingInput {
        @Override
        public boolean isExample() {
            return false;
        }
    }

    /** A decoded series point for {@code model}, before its window is known. */
    static SeriesPoint seriesPoint(
            String model, RecordOrigin r, String seriesId, long eventTime, double value) {
        return new SeriesPoint(model, r, seriesId, eventTime, value);
    }

    /** A labelled text for {@code model}. */
    static TextExample labelledText(
            String model, RecordOrigin r, String id, long eventTime, String text, String label) {
        return new TextExample(model, r, id, eventTime, text, label);
    }

    /** A labelled vector for {@code model}. */
    static VectorExample labelledVector(
            String model,
            RecordOrigin r,
            String id,
            long eventTime,
            double[] features,
            String label) {
        return new VectorExample(model, r, id, eventTime, features, label);
    }

    /** A labelled image for {@code model}. */
    static ImageExample labelledImage(
            String model,
            RecordOrigin r,
            String id,
            long eventTime,
            int width,
            int height,
            int channels,
            byte[] pixels,
            String label) {
        return new ImageExample(model, r, id, eventTime, width, height, channels, pixels, label);
    }

    /** Only the position of {@code r}: its bytes are left behind, nothing will read them. */
    static Consumed consumed(String model, RecordOrigin r) {
        return new Consumed(
                model,
                new RecordOrigin(r.topic(), r.partition(), r.offset(), r.timestamp(), null, null));
    }
}
