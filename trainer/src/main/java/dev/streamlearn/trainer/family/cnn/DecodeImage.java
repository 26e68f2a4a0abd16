package dev.streamlearn.trainer.family.cnn;

import dev.streamlearn.models.family.cnn.CnnClassifierFamily;
import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.record.DeadLetters;
import dev.streamlearn.schemas.record.Decoded;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.trainer.stream.JobStreams;
import dev.streamlearn.trainer.training.TrainingInput;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes {@code image-events} records for one CNN model: a labelled event of the model's size
 * becomes an example; an unlabelled one only its position (it is scored elsewhere, not learned); an
 * unreadable record, or an image of another size than the model's (the reason names the size
 * expected), goes to {@link JobStreams#DEAD_LETTERS} and its position to the learner.
 */
public final class DecodeImage extends ProcessFunction<RecordOrigin, TrainingInput> {
    private final String model;
    private final LinkedHashMap<String, String> spec;
    private transient ModelSpec modelSpec;

    /**
     * @param spec the model's hyper-parameters, whose size images must have
     */
    public DecodeImage(String model, Map<String, String> spec) {
        this.model = model;
        this.spec = new LinkedHashMap<>(spec);
    }

    @Override
    public void processElement(RecordOrigin r, Context ctx, Collector<TrainingInput> out) {
        Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
        ImageEvent e =
                Decoded.of(Topics.IMAGE_EVENTS, r, "ImageEvent")
                        .orElse(
                                reason ->
                                        ctx.output(
                                                JobStreams.DEAD_LETTERS,
                                                DeadLetters.of(r, JobStreams.STAGE, reason, now)));
        if (e == null || e.getLabel() == null) {
            out.collect(TrainingInput.consumed(model, r));
            return;
        }
        byte[] pixels = pixels(e.getPixels());
        String refusal =
                CnnClassifierModel.refusal(
                        modelSpec(), e.getWidth(), e.getHeight(), e.getChannels(), pixels);
        if (refusal != null) {
            ctx.output(
                    JobStreams.DEAD_LETTERS,
                    DeadLetters.of(
                            r, JobStreams.STAGE, "image " + e.getId() + ": " + refusal, now));
            out.collect(TrainingInput.consumed(model, r));
            return;
        }
        out.collect(
                TrainingInput.labelledImage(
                        model,
                        r,
                        e.getId(),
                        e.getEventTime().toEpochMilli(),
                        e.getWidth(),
                        e.getHeight(),
                        e.getChannels(),
                        pixels,
                        e.getLabel()));
    }

    private ModelSpec modelSpec() {
        if (modelSpec == null) {
            modelSpec = ModelSpec.fromMap(CnnClassifierFamily.INSTANCE, spec);
        }
        return modelSpec;
    }

    /** An image event's pixel bytes as an array (the buffer is left as it was). */
    public static byte[] pixels(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] pixels = new byte[b.remaining()];
        b.get(pixels);
        return pixels;
    }
}
