package dev.streamlearn.trainer.family.lstm;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.SeriesPoint;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.Decoded;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.TrainingInput;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates {@code series-points} records for one forecaster model. A record that is
 * not a readable {@code SeriesPoint}, has no series id or a non-finite value goes to {@link
 * JobStreams#DEAD_LETTERS}, and its position still goes to the learner ({@link #CONSUMED}) so the
 * published offsets cover it.
 */
public final class DecodeSeries extends ProcessFunction<RecordOrigin, TrainingInput> {
    /** Positions of refused records, for the learner's offsets (they skip the windows). */
    public static final OutputTag<TrainingInput> CONSUMED =
            new OutputTag<>("series-consumed", JobStreams.TRAINING_INPUT);

    private final String model;

    public DecodeSeries(String model) {
        this.model = model;
    }

    @Override
    public void processElement(RecordOrigin r, Context ctx, Collector<TrainingInput> out) {
        Decoded<SeriesPoint> decoded = Decoded.of(Topics.SERIES_POINTS, r, "SeriesPoint");
        String problem =
                decoded instanceof Decoded.Value<SeriesPoint> v
                        ? problemOf(v.value())
                        : ((Decoded.Refused<SeriesPoint>) decoded).reason();
        if (problem == null) {
            SeriesPoint p = ((Decoded.Value<SeriesPoint>) decoded).value();
            out.collect(
                    TrainingInput.seriesPoint(
                            model,
                            r,
                            p.getSeriesId(),
                            p.getEventTime().toEpochMilli(),
                            p.getValue()));
            return;
        }
        Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
        ctx.output(JobStreams.DEAD_LETTERS, DeadLetters.of(r, JobStreams.STAGE, problem, now));
        ctx.output(CONSUMED, TrainingInput.consumed(model, r));
    }

    private static String problemOf(SeriesPoint p) {
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
