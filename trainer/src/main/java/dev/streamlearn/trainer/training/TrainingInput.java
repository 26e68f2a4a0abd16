package dev.streamlearn.trainer.training;

import dev.streamlearn.schemas.record.RecordOrigin;

/**
 * What reaches the learner of one model: a training example (a series window and its next value, or
 * a labelled text) or only the news that a record was consumed (so the published offsets cover
 * every record, used or not). It keeps the original record's coordinates and bytes so a learner
 * that refuses the example can dead-letter it exactly.
 *
 * @param model the model (learner key) this is for
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param appendedAt the source record's timestamp, epoch millis
 * @param key the original key bytes
 * @param value the original value bytes
 * @param id series id or text event id
 * @param eventTime the event's time, epoch millis
 * @param point the series value (series only)
 * @param window the W points before {@code point}, normalised (series examples only, else null)
 * @param windowLast the window's last raw value
 * @param windowScale the window's scale
 * @param text the text (text examples only, else null)
 * @param label the text's label (text examples only)
 */
public record TrainingInput(
        String model,
        String topic,
        int partition,
        long offset,
        long appendedAt,
        byte[] key,
        byte[] value,
        String id,
        long eventTime,
        double point,
        float[] window,
        double windowLast,
        double windowScale,
        String text,
        String label) {

    /** A decoded series point for {@code model}, before its window is known. */
    public static TrainingInput seriesPoint(
            String model, RecordOrigin r, String seriesId, long eventTime, double value) {
        return new TrainingInput(
                model,
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                r.key(),
                r.value(),
                seriesId,
                eventTime,
                value,
                null,
                Double.NaN,
                Double.NaN,
                null,
                null);
    }

    /** A labelled text for {@code model}. */
    public static TrainingInput labelledText(
            String model, RecordOrigin r, String id, long eventTime, String text, String label) {
        return new TrainingInput(
                model,
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                r.key(),
                r.value(),
                id,
                eventTime,
                Double.NaN,
                null,
                Double.NaN,
                Double.NaN,
                text,
                label);
    }

    /** Only the position of a consumed record that trains nothing. */
    public static TrainingInput consumed(String model, RecordOrigin r) {
        return new TrainingInput(
                model,
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                null,
                null,
                null,
                Long.MIN_VALUE,
                Double.NaN,
                null,
                Double.NaN,
                Double.NaN,
                null,
                null);
    }

    /** This point with the window that precedes it. */
    public TrainingInput withWindow(float[] inputs, double last, double scale) {
        return new TrainingInput(
                model,
                topic,
                partition,
                offset,
                appendedAt,
                key,
                value,
                id,
                eventTime,
                point,
                inputs,
                last,
                scale,
                text,
                label);
    }

    /** The same position without the payload: the point trains nothing (yet). */
    public TrainingInput positionOnly() {
        return new TrainingInput(
                model,
                topic,
                partition,
                offset,
                appendedAt,
                null,
                null,
                null,
                Long.MIN_VALUE,
                Double.NaN,
                null,
                Double.NaN,
                Double.NaN,
                null,
                null);
    }

    public boolean isSeriesExample() {
        return window != null;
    }

    public boolean isTextExample() {
        return text != null;
    }

    /** The record this came from, as it arrived (without its bytes for a bare position). */
    public RecordOrigin origin() {
        return new RecordOrigin(topic, partition, offset, appendedAt, key, value);
    }
}
