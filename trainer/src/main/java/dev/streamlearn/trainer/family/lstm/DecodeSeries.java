package dev.streamlearn.trainer.job;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.serde.AvroSerde;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates {@code series-points} records for one forecaster model. A record that is
 * not a readable {@code SeriesPoint}, has no series id or a non-finite value goes to {@link
 * DeadLetters#TAG}, and its position still goes to the learner ({@link #CONSUMED}) so the published
 * offsets cover it.
 */
final class DecodeSeries extends ProcessFunction<SourceRecord, TrainingInput> {
    /** Positions of refused records, for the learner's offsets (they skip the windows). */
    static final OutputTag<TrainingInput> CONSUMED =
            new OutputTag<>("series-consumed", TrainingJob.INPUT_TYPE);

    private final String model;
    private transient AvroSerde<SeriesPoint> serde;

    DecodeSeries(String model) {
        this.model = model;
    }

    @Override
    public void open(OpenContext context) {
        serde = (AvroSerde<SeriesPoint>) Topics.SERIES_POINTS.valueSerde();
    }

    @Override
    public void processElement(SourceRecord r, Context ctx, Collector<TrainingInput> out) {
        String problem;
        try {
            SeriesPoint p = serde.deserialize(r.topic(), r.value());
            problem = problemOf(p);
            if (problem == null) {
                out.collect(
                        TrainingInput.seriesPoint(
                                model,
                                r,
                                p.getSeriesId(),
                                p.getEventTime().toEpochMilli(),
                                p.getValue()));
                return;
            }
        } catch (RuntimeException e) {
            problem = e.getMessage();
        }
        long now = ctx.timerService().currentProcessingTime();
        ctx.output(DeadLetters.TAG, DeadLetters.of(r, problem, now));
        ctx.output(CONSUMED, TrainingInput.consumed(model, r));
    }

    private static String problemOf(SeriesPoint p) {
        if (p == null) {
            return "value is missing (a tombstone): expected a SeriesPoint";
        }
        if (p.getSeriesId().isEmpty()) {
            return "seriesId is empty: expected the id of a series";
        }
        if (!Double.isFinite(p.getValue())) {
            return "series "
                    + p.getSeriesId()
                    + ": value is "
                    + p.getValue()
                    + ", expected a finite number";
        }
        return null;
    }
}
