package dev.streamlearn.trainer.family.text;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.Decoded;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.TrainingInput;
import java.time.Instant;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes {@code text-events} records for one classifier model: a labelled event becomes an
 * example; an unlabelled one only its position (it is scored elsewhere, not learned); an unreadable
 * record goes to {@link JobStreams#DEAD_LETTERS} and its position to the learner.
 */
public final class DecodeText extends ProcessFunction<RecordOrigin, TrainingInput> {
    private final String model;

    public DecodeText(String model) {
        this.model = model;
    }

    @Override
    public void processElement(RecordOrigin r, Context ctx, Collector<TrainingInput> out) {
        TextEvent e =
                Decoded.of(Topics.TEXT_EVENTS, r, "TextEvent")
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
                    TrainingInput.labelledText(
                            model,
                            r,
                            e.getId(),
                            e.getEventTime().toEpochMilli(),
                            e.getText(),
                            e.getLabel()));
        }
    }
}
