package dev.streamlearn.scorer.family.cnn;

import dev.streamlearn.models.family.cnn.CnnClassifierModel;
import dev.streamlearn.models.family.cnn.ImagePrediction;
import dev.streamlearn.models.family.cnn.SaliencyMap;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.schemas.avro.ImageEvent;
import dev.streamlearn.schemas.avro.ImageScore;
import dev.streamlearn.schemas.record.RecordOrigin;
import dev.streamlearn.schemas.serde.ByteBuffers;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringProcessor;
import dev.streamlearn.scorer.scoring.ServedModel;
import dev.streamlearn.scorer.scoring.ServingModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Scores {@code image-events} into {@code image-scores}: class probabilities, the predicted label,
 * the coarse saliency grid that explains it ({@link CnnClassifierModel#predict}: gradient × input
 * summed over cells), and the version used. An image the model cannot read (another width, height
 * or channel count than its spec, or fewer or more pixel bytes than its size says) is dead-lettered
 * with the reason.
 */
public final class ImageScoringProcessor extends ScoringProcessor<CnnClassifierModel> {
    public ImageScoringProcessor(
            ServedModel model,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        super(
                model,
                ImageScoring.PENDING_STORE,
                CnnClassifierModel::new,
                registry,
                options,
                metrics);
    }

    @Override
    protected void score(RecordOrigin origin, ServingModel.Serving<CnnClassifierModel> serving) {
        ImageEvent event = decode(origin, Topics.IMAGE_EVENTS, "image event");
        if (event == null) {
            return; // dead-lettered (by the first model on the topic)
        }
        ImagePrediction prediction =
                serving.model()
                        .predict(
                                event.getWidth(),
                                event.getHeight(),
                                event.getChannels(),
                                ByteBuffers.copyOf(event.getPixels()));
        SaliencyMap saliency = prediction.saliency();
        List<Double> cells = new ArrayList<>(saliency.values().length);
        for (double v : saliency.values()) {
            cells.add(v);
        }
        ImageScore score =
                new ImageScore(
                        event.getId(),
                        event.getEventTime(),
                        prediction.predictedLabel() == null ? "" : prediction.predictedLabel(),
                        prediction.probabilities(),
                        cells,
                        saliency.width(),
                        saliency.height(),
                        event.getLabel(),
                        modelName(),
                        serving.version(),
                        Instant.now());
        context.forward(
                new Record<Object, Object>(event.getId(), score, origin.timestamp()),
                ImageScoring.SINK);
        metrics.imageScored.increment();
    }
}
