package dev.streamlearn.scorer.family.text;

import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.spec.ModelFamily;
import dev.streamlearn.schemas.Topic;
import dev.streamlearn.schemas.Topics;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringFamily;
import dev.streamlearn.scorer.scoring.ScoringProcessor;
import dev.streamlearn.scorer.scoring.ServedModel;
import org.apache.kafka.streams.Topology;

/** Each text model's input → {@link TextScoringProcessor} → {@code text-scores}. */
public final class TextScoring implements ScoringFamily {
    static final String SINK = "text-scores-sink";
    private static final String PROCESSOR = "text-scoring";

    @Override
    public ModelFamily family() {
        return TextClassifierFamily.INSTANCE;
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
                () -> new TextScoringProcessor(model, registry, options, metrics),
                model.sourceNode(),
                ScoringProcessor.pendingStore(model.named(StoreNames.PENDING_TEXT)));
    }
}
