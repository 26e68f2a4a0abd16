package dev.streamlearn.scorer.family.lstm;

import dev.streamlearn.schemas.Topics;
import dev.streamlearn.scorer.registry.LiveRegistry;
import dev.streamlearn.scorer.registry.StoreNames;
import dev.streamlearn.scorer.scoring.ScorerMetrics;
import dev.streamlearn.scorer.scoring.ScorerOptions;
import dev.streamlearn.scorer.scoring.ScoringFamily;
import dev.streamlearn.scorer.scoring.ScoringProcessor;
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
    public String addTo(
            Topology topology,
            LiveRegistry registry,
            ScorerOptions options,
            ScorerMetrics metrics) {
        // Cached: every point reads and rewrites its series' state, and the cache turns those
        // into one RocksDB write and one changelog record per series per commit, not per point.
        return ScoringFamily.wire(
                topology,
                PROCESSOR,
                () -> new SeriesScoringProcessor(registry, options, metrics),
                Topics.SERIES_POINTS,
                Topics.SERIES_SCORES,
                SINK,
                ScoringProcessor.pendingStore(StoreNames.PENDING_SERIES),
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(StoreNames.SERIES_TRACKERS),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withCachingEnabled());
    }
}
