package dev.streamlearn.scorer.family.attention;

import dev.streamlearn.models.family.attention.AttentionTextFamily;
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

/**
 * Each attention text model's input → {@link AttentionScoringProcessor} → {@code text-scores},
 * beside the text classifier's scores of the same events (a sink of its own onto the same topic).
 */
public final class AttentionScoring implements ScoringFamily {
    static final String SINK = "attention-text-scores-sink";

    /**
     * The store of texts waiting for a model's first version: not the text classifier's, which may
     * serve the same topic.
     */
    public static final String PENDING_STORE = "pending-attention-texts";

    private static final String PROCESSOR = "attention-text-scoring";

    @Override
    public ModelFamily family() {
        return AttentionTextFamily.INSTANCE;
    }

    @Override
    public Topic<?, ?> scores() {
        return Topics.TEXT_SCORES;
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
                () -> new AttentionScoringProcessor(model, registry, options, metrics),
                model.sourceNode(),
                ScoringProcessor.pendingStore(model.named(PENDING_STORE)));
    }
}
