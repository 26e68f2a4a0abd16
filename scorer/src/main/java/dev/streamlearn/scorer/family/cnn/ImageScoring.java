package dev.streamlearn.scorer.family.cnn;

import dev.streamlearn.models.family.cnn.CnnClassifierFamily;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringFamily;
import dev.streamlearn.scorer.scoring.ScoringProcessor;
import dev.streamlearn.scorer.scoring.ServedModel;
import org.apache.kafka.streams.Topology;

/** Each CNN model's input → {@link ImageScoringProcessor} → {@code image-scores}. */
public final class ImageScoring implements ScoringFamily {
    static final String SINK = "image-scores-sink";

    /**
     * The store of images waiting for a model's first version; a model's suffix makes it its own.
     */
    public static final String PENDING_STORE = "pending-images";

    private static final String PROCESSOR = "image-scoring";

    @Override
    public ModelFamily family() {
        return CnnClassifierFamily.INSTANCE;
    }

    @Override
    public Topic<?, ?> scores() {
        return Topics.IMAGE_SCORES;
    }

    @Override
    public String scoresSink() {
        return SINK;
    }

    @Override
    public String addTo(
            Topology topology,
            ServedModel model,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        return ScoringFamily.wire(
                topology,
                model.named(PROCESSOR),
                () -> new ImageScoringProcessor(model, registry, options, metrics),
                model.sourceNode(),
                ScoringProcessor.pendingStore(model.named(PENDING_STORE)));
    }
}
