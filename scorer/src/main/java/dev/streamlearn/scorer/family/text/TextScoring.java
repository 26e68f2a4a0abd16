package dev.streamlearn.scorer.family.text;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringFamily;
import dev.streamlearn.scorer.scoring.ScoringProcessor;
import org.apache.kafka.streams.Topology;

/** {@code text-events} → {@link TextScoringProcessor} → {@code text-scores}. */
public final class TextScoring implements ScoringFamily {
    static final String SINK = "text-scores-sink";
    private static final String PROCESSOR = "text-scoring";

    @Override
    public String addTo(
            Topology topology,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        return ScoringFamily.wire(
                topology,
                PROCESSOR,
                () -> new TextScoringProcessor(registry, options, metrics),
                Topics.TEXT_EVENTS,
                Topics.TEXT_SCORES,
                SINK,
                ScoringProcessor.pendingStore(StoreNames.PENDING_TEXT));
    }
}
