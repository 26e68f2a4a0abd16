package dev.streamlearn.trainer.job;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.TextEvent;
import dev.streamlearn.schemas.serde.AvroSerde;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes {@code text-events} records for one classifier model: a labelled event becomes an
 * example; an unlabelled one only its position (it is scored elsewhere, not learned); an unreadable
 * record goes to {@link DeadLetters#TAG} and its position to the learner.
 */
final class DecodeText extends ProcessFunction<SourceRecord, TrainingInput> {
    private final String model;
    private transient AvroSerde<TextEvent> serde;

    DecodeText(String model) {
        this.model = model;
    }

    @Override
    public void open(OpenContext context) {
        serde = (AvroSerde<TextEvent>) Topics.TEXT_EVENTS.valueSerde();
    }

    @Override
    public void processElement(SourceRecord r, Context ctx, Collector<TrainingInput> out) {
        TextEvent e;
        try {
            e = serde.deserialize(r.topic(), r.value());
        } catch (RuntimeException failure) {
            dead(r, failure.getMessage(), ctx, out);
            return;
        }
        if (e == null) {
            dead(r, "value is missing (a tombstone): expected a TextEvent", ctx, out);
        } else if (e.getLabel() == null) {
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

    private void dead(SourceRecord r, String reason, Context ctx, Collector<TrainingInput> out) {
        ctx.output(
                DeadLetters.TAG,
                DeadLetters.of(r, reason, ctx.timerService().currentProcessingTime()));
        out.collect(TrainingInput.consumed(model, r));
    }
}
