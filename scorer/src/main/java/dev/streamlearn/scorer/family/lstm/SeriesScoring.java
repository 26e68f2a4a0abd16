package dev.streamlearn.scorer.family.lstm;

import dev.streamlearn.models.family.lstm.LstmForecasterFamily;
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
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * {@code series-points} → {@link SeriesScoringProcessor} → {@code series-scores}, with each series'
 * window and anomaly scale in a changelogged store.
 */
public final class SeriesScoring implements ScoringFamily {
    static final String SINK = "series-scores-sink";
    private static final String PROCESSOR = "series-scoring";

    @Override
    public ModelFamily family() {
        return LstmForecasterFamily.INSTANCE;
    }

    @Override
    public Topic<?, ?> scores() {
        return Topics.SERIES_SCORES;
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
        String pending = model.named(StoreNames.PENDING_SERIES);
        String trackers = model.named(StoreNames.SERIES_TRACKERS);
        // Cached: every point reads and rewrites its series' state, and the cache turns those
        // into one RocksDB write and one changelog record per series per commit, not per point.
        return ScoringFamily.wire(
                topology,
                model.named(PROCESSOR),
                () -> new SeriesScoringProcessor(model, registry, options, metrics),
                model.sourceNode(),
                ScoringProcessor.pendingStore(pending),
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(trackers),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withCachingEnabled());
    }
}
