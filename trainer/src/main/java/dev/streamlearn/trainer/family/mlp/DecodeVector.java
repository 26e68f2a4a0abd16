package dev.streamlearn.trainer.family.mlp;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.VectorEvent;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.Decoded;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.TrainingInput;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes {@code vector-events} records for one MLP model: a labelled event becomes an example; an
 * unlabelled one only its position (it is scored elsewhere, not learned); an unreadable record goes
 * to {@link JobStreams#DEAD_LETTERS} and its position to the learner.
 */
public final class DecodeVector extends ProcessFunction<RecordOrigin, TrainingInput> {
    private final String model;

    public DecodeVector(String model) {
        this.model = model;
    }

    @Override
    public void processElement(RecordOrigin r, Context ctx, Collector<TrainingInput> out) {
        VectorEvent e =
                Decoded.of(Topics.VECTOR_EVENTS, r, "VectorEvent")
                        .orElse(
                                reason ->
                                        ctx.output(
                                                JobStreams.DEAD_LETTERS,
                                                DeadLetters.of(
                                                        r,
                                                        JobStreams.STAGE,
                                                        reason,
                                                        Instant.ofEpochMilli(
                                                                ctx.timerService()
                                                                        .currentProcessingTime()))));
        if (e == null || e.getLabel() == null) {
            out.collect(TrainingInput.consumed(model, r));
        } else {
            out.collect(
                    TrainingInput.labelledVector(
                            model,
                            r,
                            e.getId(),
                            e.getEventTime().toEpochMilli(),
                            features(e.getFeatures()),
                            e.getLabel()));
        }
    }

    /** A vector event's features as an array. */
    public static double[] features(List<Double> values) {
        double[] features = new double[values.size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = values.get(i);
        }
        return features;
    }
}
