package dev.streamlearn.scorer.family.mlp;

import dev.streamlearn.models.family.mlp.MlpClassifierFamily;
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

/** Each MLP model's input → {@link VectorScoringProcessor} → {@code vector-scores}. */
public final class VectorScoring implements ScoringFamily {
    static final String SINK = "vector-scores-sink";

    /**
     * The store of vectors waiting for a model's first version; a model's suffix makes it its own.
     */
    public static final String PENDING_STORE = "pending-vectors";

    private static final String PROCESSOR = "vector-scoring";

    @Override
    public ModelFamily family() {
        return MlpClassifierFamily.INSTANCE;
    }

    @Override
    public Topic<?, ?> scores() {
        return Topics.VECTOR_SCORES;
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
                () -> new VectorScoringProcessor(model, registry, options, metrics),
                model.sourceNode(),
                ScoringProcessor.pendingStore(model.named(PENDING_STORE)));
    }
}
